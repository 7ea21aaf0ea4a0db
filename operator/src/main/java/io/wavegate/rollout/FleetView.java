package io.wavegate.rollout;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.wavegate.api.ContentMetricTemplate;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentUpdatePolicy;
import io.wavegate.contract.ContentRevocation;
import io.wavegate.contract.NodeContent;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one view of the cluster a reconcile decides on: the informer caches, with the operator's own
 * latest writes overlaid. Our writes raise no event of their own and their watch events may still be
 * on the way, so each write is recorded here ({@link #wrote}) and every read goes through the same
 * per-object lookup, which returns a recorded write until the informer has caught up with it (the
 * Java Operator SDK's temporary resource cache). A decision is therefore never made on a view behind
 * the operator's own writes, and nothing is written twice.
 */
final class FleetView implements ChannelFleet.Source {

  private final InformerEventSource<Node, ContentRollout> nodes;
  private final InformerEventSource<NodeContent, ContentRollout> contents;
  private final InformerEventSource<Pod, ContentRollout> pods;
  private final InformerEventSource<ContentRevocation, ContentRollout> revocations;
  private final InformerEventSource<ContentUpdatePolicy, ContentRollout> policies;
  private final InformerEventSource<ContentMetricTemplate, ContentRollout> templates;
  private final ChannelFleets fleets;

  private FleetView(Context<ContentRollout> context, ChannelFleets fleets) {
    this.fleets = fleets;
    this.nodes = RolloutEventSources.nodes(context);
    this.contents = RolloutEventSources.contents(context);
    this.pods = RolloutEventSources.pods(context);
    this.revocations = RolloutEventSources.revocations(context);
    this.policies = RolloutEventSources.policies(context);
    this.templates = RolloutEventSources.templates(context);
  }

  static FleetView of(Context<ContentRollout> context, ChannelFleets fleets) {
    return new FleetView(context, fleets);
  }

  /** The rollout's fleet, its nodes' facts derived again where the caches changed since its last reconcile. */
  FleetFacts fleet(String rollout, FleetGatherer.Basis basis, java.time.Instant now) {
    return fleets.of(rollout).refresh(basis, this, now);
  }

  @Override
  public List<Node> nodes() {
    return nodes.list().toList();
  }

  @Override
  public Optional<Node> node(String name) {
    return nodes.get(new ResourceID(name));
  }

  @Override
  public NodeContent content(String name) {
    return contents.get(new ResourceID(name)).orElse(null);
  }

  @Override
  public List<Pod> podsOn(String node) {
    return pods.byIndex(RolloutEventSources.PODS_BY_NODE, node);
  }

  List<ContentUpdatePolicy> policies() {
    return policies.list().toList();
  }

  /** The cluster's metric templates by name. */
  Map<String, ContentMetricTemplate> templates() {
    return templates.list().collect(java.util.stream.Collectors.toMap(t -> t.getMetadata().getName(), t -> t));
  }

  /** The NodeContents of these nodes, by node name, as of our own latest write to each. */
  Map<String, NodeContent> contents(Collection<String> of) {
    Map<String, NodeContent> byNode = new HashMap<>();
    for (String name : of) {
      contents.get(new ResourceID(name)).ifPresent(content -> byNode.put(name, content));
    }
    return byNode;
  }

  Optional<ContentRevocation> revocation(String channel) {
    return revocations.get(new ResourceID(channel));
  }

  /** Our NodeContent writes, each replacing {@code before.get(name)} (null: created). */
  void wrote(List<NodeContent> written, Map<String, NodeContent> before) {
    written.forEach(content -> {
      wrote(contents, content, before.get(content.getMetadata().getName()));
      fleets.changed(content.getMetadata().getName());
    });
  }

  /** Our write of the channel's revocation, replacing {@code before} (null: created). */
  void wrote(ContentRevocation written, ContentRevocation before) {
    wrote(revocations, written, before);
  }

  private static <R extends HasMetadata> void wrote(InformerEventSource<R, ContentRollout> source, R written, R before) {
    ResourceID id = ResourceID.fromResource(written);
    if (before == null) {
      source.handleRecentResourceCreate(id, written);
    } else {
      source.handleRecentResourceUpdate(id, written, before);
    }
  }
}
