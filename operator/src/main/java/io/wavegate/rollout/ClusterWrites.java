package io.wavegate.rollout;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.ValidatorJobSpec;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.ContentRevocation;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.Revocation;
import io.wavegate.delivery.NodeWriter;
import io.wavegate.delivery.RevocationWriter;
import io.wavegate.delivery.SnapshotStore;
import io.wavegate.delivery.Snapshots;
import io.wavegate.validation.ValidatorJobs;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link RolloutWrites} on the cluster, for one reconcile: the gate's snapshot and validator Job,
 * status and revocation by server-side apply, node writes by {@link NodeWriter}, each write recorded in the reconcile's {@link FleetView}
 * (or, for status, the primary cache) so that the next look starts from it.
 */
final class ClusterWrites implements RolloutWrites {

  /** What makes the writes, the same for every reconcile. */
  record Writers(KubernetesClient client, NodeWriter nodes, RevocationWriter revocations, EventRecorder events,
      SnapshotStore snapshots, ValidatorJobs validatorJobs) {

    ClusterWrites forReconcile(Context<ContentRollout> context, FleetView view) {
      return new ClusterWrites(this, context, view);
    }
  }

  private final Writers writers;
  private final Context<ContentRollout> context;
  private final FleetView view;

  private ClusterWrites(Writers writers, Context<ContentRollout> context, FleetView view) {
    this.writers = writers;
    this.context = context;
    this.view = view;
  }

  @Override
  public void snapshot(ContentRollout rollout, GatePreparation.Snapshot snapshot) {
    writers.snapshots().create(rollout, snapshot.digest(), snapshot.content(), snapshot.fileName(), snapshot.secret());
  }

  @Override
  public void startValidator(ContentRollout rollout, ValidatorJobSpec validator, GatePreparation.Snapshot checked) {
    writers.validatorJobs().start(rollout, validator, checked.digest(), checked.fileName(), checked.content(),
        checked.secret());
  }

  @Override
  public ContentRollout latest(ContentRollout rollout) {
    return context.getPrimaryCache().get(ResourceID.fromResource(rollout)).orElse(rollout);
  }

  @Override
  public boolean exists(String rollout) {
    return context.getPrimaryCache().get(new ResourceID(rollout)).isPresent();
  }

  @Override
  public void status(ContentRollout rollout, ContentRolloutStatus status) {
    ContentRollout statusOnly = new ContentRollout();
    statusOnly.setMetadata(new ObjectMetaBuilder().withName(rollout.getMetadata().getName()).build());
    statusOnly.setStatus(status);
    PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(rollout, statusOnly, context);
  }

  @Override
  public Optional<Revocation> revocation(String channel) {
    return view.revocation(channel).flatMap(Revocation::of);
  }

  @Override
  public void revoke(ContentRollout rollout, Revocation revocation) {
    ContentRevocation before = view.revocation(revocation.channel()).orElse(null);
    view.wrote(writers.revocations().write(revocation, Snapshots.ownedBy(rollout)), before);
  }

  @Override
  public NodeWriter.Result nodes(String channel, Map<String, Optional<Assignment>> writes,
      Function<String, String> nodeUid) {
    Map<String, NodeContent> before = view.contents(writes.keySet());
    NodeWriter.Result result = writers.nodes().write(channel, writes, nodeUid);
    view.wrote(result.written(), before);
    return result;
  }

  @Override
  public void event(ContentRollout rollout, RolloutEvent event) {
    writers.events().record(rollout, event);
  }

  @Override
  public void removeAnnotations(ContentRollout rollout, List<String> annotations) {
    // null removes a key in a merge patch
    String removed = annotations.stream().map(key -> "\"" + key + "\":null").collect(Collectors.joining(","));
    writers.client().resources(ContentRollout.class).withName(rollout.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{" + removed + "}}}");
  }

  @Override
  public void pruneSnapshots(String channel, Set<String> inUse) {
    writers.snapshots().prune(channel, inUse);
  }
}
