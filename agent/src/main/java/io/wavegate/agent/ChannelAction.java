package io.wavegate.agent;

import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.Revocation;

/** The one thing the agent does next for a channel, as {@link ChannelDecider} decides it. */
public sealed interface ChannelAction {

  /** Disk, state and report already say what they should. */
  record Nothing() implements ChannelAction {}

  /**
   * The disk holds {@code revoked}, a revision the revocation names: back to the stable one ({@code how}:
   * from the kept file, the snapshot, or none).
   */
  record Revert(Revocation revocation, Revocation.Verdict how, String revoked) implements ChannelAction {}

  /** The assignment is gone: remove the channel's content, and its report when there is one. */
  record Remove(boolean withReport) implements ChannelAction {}

  /** Bookkeeping only: record this state (a refusal forgotten, a revision found in place). */
  record SaveState(ChannelState state) implements ChannelAction {}

  /** Tell the operator, without touching the disk. */
  record Report(AgentReport report) implements ChannelAction {}

  /** Fetch, verify, write, run the hook and report the assigned revision. */
  record Apply(Assignment assignment) implements ChannelAction {}

  ChannelAction NOTHING = new Nothing();
}
