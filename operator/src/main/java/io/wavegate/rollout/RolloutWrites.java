package io.wavegate.rollout;

import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.ValidatorJobSpec;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.Revocation;
import io.wavegate.delivery.NodeWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.Set;

/**
 * Every read of what the operator wrote and every write a reconcile makes, in the words of the
 * applier: {@link ClusterWrites} makes them on the cluster (server-side apply, the JOSDK caches, the
 * Events), a test records them. The applier decides nothing; this interface decides nothing either.
 */
interface RolloutWrites {

  /** The rollout as cached now, with a status this reconcile wrote. */
  ContentRollout latest(ContentRollout rollout);

  /** Whether the rollout still exists (its gauges go with it). */
  boolean exists(String rollout);

  /** The revision's snapshot: the checked bytes nodes fetch (created once, immutable). */
  void snapshot(ContentRollout rollout, GatePreparation.Snapshot snapshot);

  /** Starts the revision's validator Job on the checked bytes. */
  void startValidator(ContentRollout rollout, ValidatorJobSpec validator, GatePreparation.Snapshot checked);

  /** Replaces the rollout's status (server-side apply of status only). */
  void status(ContentRollout rollout, ContentRolloutStatus status);

  /** The channel's revocation as last written. */
  Optional<Revocation> revocation(String channel);

  /** Writes the channel's revocation, owned by the rollout. */
  void revoke(ContentRollout rollout, Revocation revocation);

  /** This channel's entry of each node's NodeContent; {@code nodeUid} names each Node's uid, for the owner reference. */
  NodeWriter.Result nodes(String channel, Map<String, Optional<Assignment>> writes, Function<String, String> nodeUid);

  void event(ContentRollout rollout, RolloutEvent event);

  /** Removes these annotations from the rollout. */
  void removeAnnotations(ContentRollout rollout, List<String> annotations);

  /** Deletes the channel's snapshots beyond the history kept, never those of {@code inUse}. */
  void pruneSnapshots(String channel, Set<String> inUse);
}
