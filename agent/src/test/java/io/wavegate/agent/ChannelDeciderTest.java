package io.wavegate.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.Revocation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The agent's choice for one channel without a cluster or a disk: plain values in, one action out. */
class ChannelDeciderTest {

  static final String NEW = "a".repeat(64);
  static final String STABLE = "b".repeat(64);
  static final String OTHER = "c".repeat(64);
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  static final Duration RESYNC = Duration.ofSeconds(60);

  static Stream<Arguments> cases() {
    return Stream.of(
        row("nothing assigned, nothing on disk: nothing to do", given(), action -> assertThat(action)
            .isInstanceOf(ChannelAction.Nothing.class)),
        row("a new assignment is fetched and applied", given().assigned(NEW), action -> assertThat(action)
            .isEqualTo(new ChannelAction.Apply(assignment(NEW)))),
        row("in place and reported as it is: nothing, whatever the resync",
            given().assigned(NEW).onDisk(NEW).state(confirmed(NEW)).reported(applied(NEW, confirmed(NEW))),
            action -> assertThat(action).isInstanceOf(ChannelAction.Nothing.class)),
        row("confirmed since the last report: report it, without touching the disk",
            given().assigned(NEW).onDisk(NEW).state(confirmed(NEW)).reported(applied(NEW, tentative(NEW))),
            action -> assertThat(action).isInstanceOfSatisfying(ChannelAction.Report.class, r -> {
              assertThat(r.report().applied(NEW)).isTrue();
              assertThat(r.report().confirmedAt()).isEqualTo(NOW.minusSeconds(30).toString());
            })),
        row("found in place with no state of its own (a restart, an upgrade): recorded as confirmed, not fetched",
            given().assigned(NEW).onDisk(NEW), action -> assertThat(action)
                .isEqualTo(new ChannelAction.SaveState(new ChannelState(NEW, null, null, null, NOW, null, null, null)))),
        row("the assignment removed: content and report removed",
            given().unassigned().hasContent().onDisk(NEW).reported(applied(NEW, confirmed(NEW))),
            action -> assertThat(action).isEqualTo(new ChannelAction.Remove(true))),
        row("the assignment removed and never reported: content removed, no report to remove",
            given().unassigned().hasContent().onDisk(NEW), action -> assertThat(action)
                .isEqualTo(new ChannelAction.Remove(false))),
        row("revoked, the kept previous file is the stable revision: restore it",
            given().assigned(NEW).onDisk(NEW).previous(STABLE).revoked(withStable()),
            action -> assertThat(action).isEqualTo(new ChannelAction.Revert(withStable(), Revocation.Verdict.RESTORE_PREVIOUS, NEW))),
        row("revoked, the kept file is another revision: fetch the stable snapshot",
            given().assigned(NEW).onDisk(NEW).previous(OTHER).revoked(withStable()),
            action -> assertThat(action).isEqualTo(new ChannelAction.Revert(withStable(), Revocation.Verdict.FETCH_STABLE, NEW))),
        row("revoked with no stable revision: the file goes",
            given().assigned(NEW).onDisk(NEW).revoked(withoutStable()),
            action -> assertThat(action).isEqualTo(new ChannelAction.Revert(withoutStable(), Revocation.Verdict.REMOVE, NEW))),
        row("the assignment still names a revoked revision: never applied",
            given().assigned(NEW).onDisk(STABLE).state(confirmed(STABLE)).revoked(withStable()),
            action -> assertThat(action).isInstanceOf(ChannelAction.Nothing.class)),
        row("before the node's object is known only a revocation acts: no removal",
            given().assignmentUnknown().hasContent().onDisk(STABLE).state(confirmed(STABLE)),
            action -> assertThat(action).isInstanceOf(ChannelAction.Nothing.class)),
        row("before the node's object is known a revoked file is still reverted",
            given().assignmentUnknown().hasContent().onDisk(NEW).previous(STABLE).revoked(withStable()),
            action -> assertThat(action).isInstanceOf(ChannelAction.Revert.class)),
        row("a revision this node took back and already reported: nothing, the operator decides",
            given().assigned(NEW).onDisk(STABLE).state(refused(NEW)).reported(failed(NEW, "RevertedAfterReboot", NOW)),
            action -> assertThat(action).isInstanceOf(ChannelAction.Nothing.class)),
        row("a revision this node took back, not reported yet: reported with the reason, not applied",
            given().assigned(NEW).onDisk(STABLE).state(refused(NEW)),
            action -> assertThat(action).isInstanceOfSatisfying(ChannelAction.Report.class, r -> {
              assertThat(r.report().failed(NEW)).isTrue();
              assertThat(r.report().reason()).isEqualTo("HookFailed");
            })),
        row("the operator assigns another revision: the refusal is forgotten",
            given().assigned(OTHER).onDisk(STABLE).state(refused(NEW)),
            action -> assertThat(action).isEqualTo(new ChannelAction.SaveState(refused(NEW).forgetRefusal()))),
        row("a content failure reported: nothing, however long ago",
            given().assigned(NEW).reported(failed(NEW, "DigestMismatch", NOW.minus(Duration.ofHours(1)))),
            action -> assertThat(action).isInstanceOf(ChannelAction.Nothing.class)),
        row("a node-local fault reported within the resync: not tried again yet",
            given().assigned(NEW).reported(failed(NEW, "WriteError", NOW.minusSeconds(10))),
            action -> assertThat(action).isInstanceOf(ChannelAction.Nothing.class)),
        row("a node-local fault reported a resync and a half ago: tried again, whatever the node's jitter",
            given().assigned(NEW).reported(failed(NEW, "WriteError", NOW.minusSeconds(91))),
            action -> assertThat(action).isEqualTo(new ChannelAction.Apply(assignment(NEW)))),
        row("a registry that did not serve the revision is a node-local fault: tried again too",
            given().assigned(NEW).reported(failed(NEW, AgentReport.REGISTRY_UNAVAILABLE, NOW.minusSeconds(91))),
            action -> assertThat(action).isEqualTo(new ChannelAction.Apply(assignment(NEW)))));
  }

  @Test
  void nodesRetryAfterTheResyncStretchedByAJitterOfUpToHalfOfItThatDiffersFromNodeToNode() {
    java.util.Set<Duration> delays = new java.util.HashSet<>();
    for (int node = 0; node < 50; node++) {
      Assignment onNode = new Assignment(NEW, "canary", "s/n", "boot-" + node, true, NOW.toString());
      Duration delay = ChannelDecider.retryDelay(new ChannelDecider.View(true, Optional.of(onNode), Optional.empty(),
          Optional.empty(), Optional.empty(), Optional.empty(), false, ChannelState.NONE, NOW, RESYNC));
      assertThat(delay).isBetween(RESYNC, RESYNC.multipliedBy(3).dividedBy(2));
      delays.add(delay);
    }
    assertThat(delays).as("spread, not one moment").hasSizeGreaterThan(25);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(String name, Given given, Consumer<ChannelAction> then) {
    then.accept(ChannelDecider.decide(given.view()));
  }

  private static Arguments row(String name, Given given, Consumer<ChannelAction> then) {
    return Arguments.of(name, given, then);
  }

  static Given given() {
    return new Given(true, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        false, ChannelState.NONE);
  }

  /** A channel as observed; each method returns a changed copy. */
  record Given(boolean known, Optional<Assignment> wanted, Optional<AgentReport> report,
      Optional<Revocation> revocation, Optional<String> disk, Optional<String> kept, boolean content,
      ChannelState recorded) {

    Given assigned(String revision) {
      return new Given(known, Optional.of(assignment(revision)), report, revocation, disk, kept, true, recorded);
    }

    Given unassigned() {
      return new Given(known, Optional.empty(), report, revocation, disk, kept, content, recorded);
    }

    Given assignmentUnknown() {
      return new Given(false, Optional.empty(), report, revocation, disk, kept, content, recorded);
    }

    Given hasContent() {
      return new Given(known, wanted, report, revocation, disk, kept, true, recorded);
    }

    Given onDisk(String revision) {
      return new Given(known, wanted, report, revocation, Optional.of(revision), kept, true, recorded);
    }

    Given previous(String revision) {
      return new Given(known, wanted, report, revocation, disk, Optional.of(revision), content, recorded);
    }

    Given reported(AgentReport r) {
      return new Given(known, wanted, Optional.of(r), revocation, disk, kept, content, recorded);
    }

    Given revoked(Revocation r) {
      return new Given(known, wanted, report, Optional.of(r), disk, kept, content, recorded);
    }

    Given state(ChannelState s) {
      return new Given(known, wanted, report, revocation, disk, kept, content, s);
    }

    ChannelDecider.View view() {
      return new ChannelDecider.View(known, wanted, report, revocation, disk, kept, content, recorded, NOW, RESYNC);
    }
  }

  static Assignment assignment(String revision) {
    return new Assignment(revision, "canary", "wavegate-snapshots/snap-" + revision.substring(0, 12), "boot-a", true,
        NOW.minusSeconds(120).toString());
  }

  static ChannelState confirmed(String revision) {
    return new ChannelState(revision, NOW.minusSeconds(60), "boot-a", null, NOW.minusSeconds(30), null, null, null);
  }

  static ChannelState tentative(String revision) {
    return new ChannelState(revision, NOW.minusSeconds(60), "boot-a", NOW.plusSeconds(240), null, null, null, null);
  }

  static ChannelState refused(String revision) {
    return ChannelState.refused(revision, "HookFailed", "the hook exited 4", STABLE, NOW.minusSeconds(5));
  }

  static AgentReport applied(String revision, ChannelState state) {
    return ChannelDecider.applied(revision, state, NOW.minusSeconds(50));
  }

  static AgentReport failed(String revision, String reason, Instant at) {
    return ChannelDecider.failed(revision, reason, "it failed", at);
  }

  static Revocation withStable() {
    return new Revocation("ch", List.of(NEW), Optional.of(new Revocation.Stable(STABLE, "wavegate-snapshots/stable",
        null, null, null, null)), "a breach");
  }

  static Revocation withoutStable() {
    return new Revocation("ch", List.of(NEW), Optional.empty(), "a breach");
  }
}
