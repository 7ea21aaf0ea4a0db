package io.wavegate.rollout;

/** Why a wave waits (status.wait, the Reconciling condition): by itself, or for approval. */
public enum WaitReason implements Reason {
  /** More of the wave's nodes are not Ready than maxUnavailableNodes allows, or all of them. */
  UnavailableNodes,
  /** Agents report node-local faults (disk, snapshot fetch) past the budget. */
  NodeFaults,
  /** The wave's selector matches no node of the fleet: an empty wave proves nothing. */
  NoMatchingNodes,
  /** The wave has approval: Manual and waits for a person: `kubectl wavegate approve` (it does not go on by itself). */
  AwaitingApproval,
  /** Update policies hold every node of the wave that could take the revision (status.holds says which and why). */
  HeldByPolicy,
  /** A PreWave webhook has not answered yet. */
  WebhookPending,
  /** A PreWave webhook said no: the wave is held, and the webhook is asked again every 15 s. */
  WebhookRejected
}
