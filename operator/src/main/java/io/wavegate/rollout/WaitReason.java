package io.wavegate.rollout;

/** Why a wave waits and will go on by itself (status.wait, the Reconciling condition). */
public enum WaitReason implements Reason {
  /** More of the wave's nodes are not Ready than maxUnavailableNodes allows, or all of them. */
  UnavailableNodes,
  /** Agents report node-local faults (disk, snapshot fetch) past the budget. */
  NodeFaults,
  /** The wave's selector matches no node of the fleet: an empty wave proves nothing. */
  NoMatchingNodes
}
