package io.wavegate.agent;

import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.Revocation;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the agent does next for one channel (docs/node-contract.md, "What the agent must do"). Pure:
 * the channel as observed in, one {@link ChannelAction} out. The agent carries it out, observes
 * again and asks again until the answer is {@link ChannelAction.Nothing}.
 */
public final class ChannelDecider {

  private ChannelDecider() {}

  /**
   * One channel as the agent sees it.
   *
   * @param assignmentKnown whether the node's NodeContent has been seen (at start the revocations come first)
   * @param assignment the operator's assignment in the node's NodeContent, if any
   * @param reported the agent's last report for the channel, if any
   * @param revocation the channel's revocation, if any
   * @param onDisk the sha256 of the channel's current file, if any
   * @param previousOnDisk the sha256 of the kept previous file, if any
   * @param hasContent whether the channel has anything on disk at all
   * @param state what the agent recorded of the channel
   * @param resync how long a node-local fault waits before it is tried again
   */
  public record View(boolean assignmentKnown, Optional<Assignment> assignment, Optional<AgentReport> reported, Optional<Revocation> revocation,
      Optional<String> onDisk, Optional<String> previousOnDisk, boolean hasContent, ChannelState state, Instant now,
      Duration resync) {}

  public static ChannelAction decide(View v) {
    if (v.revocation().isPresent()) {
      Revocation.Verdict how = v.revocation().get().verdict(v.onDisk(), v.previousOnDisk());
      if (how != Revocation.Verdict.KEEP) {
        return new ChannelAction.Revert(v.revocation().get(), how, v.onDisk().orElseThrow());
      }
    }
    if (!v.assignmentKnown()) {
      return ChannelAction.NOTHING; // only a revocation acts before the assignments are known
    }
    if (v.assignment().isEmpty()) {
      return v.hasContent() || v.reported().isPresent() ? new ChannelAction.Remove(v.reported().isPresent())
          : ChannelAction.NOTHING;
    }
    String revision = v.assignment().get().revision();
    if (v.revocation().map(r -> r.revokes(revision)).orElse(false)) {
      return ChannelAction.NOTHING; // never applied, whatever the assignment still says; the operator's next write moves it
    }
    ChannelState state = v.state();
    if (state.refusedRevision() != null && !state.refuses(revision)) {
      return new ChannelAction.SaveState(state.forgetRefusal()); // the operator chose again
    }
    if (state.refuses(revision)) {
      // taken back on this node (a reboot while tentative, the hook refused it): never applied again on its own
      return v.reported().map(r -> r.failed(revision)).orElse(false) ? ChannelAction.NOTHING
          : new ChannelAction.Report(failed(revision, state.refusedReason(), state.refusedMessage(), v.now()));
    }
    boolean inPlace = v.onDisk().map(revision::equals).orElse(false);
    if (inPlace && !revision.equals(state.revision())) {
      // in place already (a restart, an upgrade from an agent without state): it has been running, so confirmed
      return new ChannelAction.SaveState(new ChannelState(revision, null, null, null, v.now(), null, null, null));
    }
    if (inPlace) {
      boolean reportedSo = v.reported().map(r -> r.applied(revision)
          && Objects.equals(r.confirmedAt(), text(state.confirmedAt()))).orElse(false);
      return reportedSo ? ChannelAction.NOTHING : new ChannelAction.Report(applied(revision, state, v.now()));
    }
    boolean settledFailure = v.reported().map(r -> r.failed(revision) && !(r.nodeFault(revision) && due(r, v)))
        .orElse(false);
    // a content failure is the operator's to decide; a node-local fault is tried again once it is due
    return settledFailure ? ChannelAction.NOTHING : new ChannelAction.Apply(v.assignment().get());
  }

  /** The report of a revision in place, with when it was applied and confirmed as recorded. */
  public static AgentReport applied(String revision, ChannelState state, Instant now) {
    boolean known = revision.equals(state.revision());
    return new AgentReport(revision, AgentReport.APPLIED, null, null, now.toString(),
        known ? text(state.appliedAt()) : null, known ? text(state.confirmedAt()) : null);
  }

  public static AgentReport failed(String revision, String reason, String message, Instant now) {
    return new AgentReport(revision, AgentReport.FAILED, reason, message, now.toString());
  }

  /**
   * A node-local fault (a full disk, a registry down) is tried again after the resync period, stretched
   * by a jitter of up to half of it that differs from node to node (seeded by the boot ID the
   * assignment records), so that the nodes a registry outage failed together do not all come back to it
   * at the same moment.
   */
  static Duration retryDelay(View v) {
    String seed = v.assignment().map(a -> a.bootId() + "/" + a.revision()).orElse("");
    double jitter = Math.floorMod(seed.hashCode(), 1000) / 2000.0;
    return Duration.ofMillis((long) (v.resync().toMillis() * (1 + jitter)));
  }

  private static boolean due(AgentReport failed, View v) {
    try {
      return !v.now().isBefore(Instant.parse(failed.at()).plus(retryDelay(v)));
    } catch (RuntimeException unreadable) {
      return true;
    }
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
