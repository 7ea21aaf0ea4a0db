package io.wavegate.agent;

import java.time.Instant;

/**
 * Boot assessment, as systemd's boot counting: a newly applied revision is tentative until the node
 * has stayed up with it for the assignment's confirmAfter. Pure: the state, what is on disk, the
 * boot ID and the time in; what to do out.
 */
public final class BootAssessment {

  private BootAssessment() {}

  public enum Verdict {
    /** Nothing tentative. */
    NONE,
    /** The state names a file that is not the one on disk (a crash between the two writes): drop it. */
    STALE,
    /** The node booted again while the revision was tentative: restore the previous file. */
    REVERT,
    /** It stayed up long enough: the revision is confirmed, a later reboot keeps it. */
    CONFIRM,
    /** Still tentative. */
    WAIT
  }

  public static Verdict assess(ChannelState state, String revisionOnDisk, String bootIdNow, Instant now) {
    if (!state.tentative()) {
      return Verdict.NONE;
    }
    if (!state.revision().equals(revisionOnDisk)) {
      return Verdict.STALE;
    }
    if (state.bootId() != null && bootIdNow != null && !state.bootId().equals(bootIdNow)) {
      return Verdict.REVERT;
    }
    return now.isBefore(state.confirmAt()) ? Verdict.WAIT : Verdict.CONFIRM;
  }
}
