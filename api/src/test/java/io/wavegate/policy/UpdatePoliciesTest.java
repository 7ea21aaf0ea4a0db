package io.wavegate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.wavegate.api.ChannelSelection;
import io.wavegate.api.ContentUpdatePolicy;
import io.wavegate.api.ContentUpdatePolicySpec;
import io.wavegate.api.PinSpec;
import io.wavegate.api.PolicyOverride;
import io.wavegate.api.UpdateRing;
import io.wavegate.api.UpdateWindow;
import io.wavegate.api.WindowType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Policy evaluation as a table: the policies, the node, the instant in; the hold (or none) out. */
class UpdatePoliciesTest {

  static final String NEW = "b".repeat(64);
  static final String OLD = "a".repeat(64);
  static final Map<String, String> GA_NODE = Map.of("wavegate.io/pool", "ga");
  static final Map<String, String> CANARY_NODE = Map.of("wavegate.io/pool", "canary");
  /** A Tuesday in winter: Berlin is UTC+1, New York UTC-5. */
  static final Instant TUE_NOON = Instant.parse("2026-12-01T12:00:00Z");

  /**
   * @param critical the channel is marked critical
   * @param availableAt when the revision became generally available, or null
   * @param reason the expected hold's reason, or null for none
   * @param until when the expected hold lifts, or null for "cannot tell"
   */
  record Row(String name, List<ContentUpdatePolicy> policies, Map<String, String> node, boolean critical,
      Instant availableAt, Instant now, HoldReason reason, Instant until, String policy) {

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> rows() {
    Instant ga = TUE_NOON.minus(Duration.ofMinutes(30));
    return Stream.of(
        row("no policy governs the node", List.of(), GA_NODE, false, null, TUE_NOON, null, null, null),
        row("EarlyAccess takes it at once", List.of(policy("canary", s -> ring(s, UpdateRing.EarlyAccess))),
            GA_NODE, false, null, TUE_NOON, null, null, null),
        row("GeneralAvailability waits for the early-access nodes", List.of(policy("ga", s -> {})), GA_NODE, false,
            null, TUE_NOON, HoldReason.AwaitingEarlyAccess, null, "ga"),
        row("GeneralAvailability holds for its delay", List.of(policy("ga", s -> s.setDelay("1h"))), GA_NODE, false,
            ga, TUE_NOON, HoldReason.Delayed, ga.plus(Duration.ofHours(1)), "ga"),
        row("GeneralAvailability after its delay", List.of(policy("ga", s -> s.setDelay("20m"))), GA_NODE, false,
            ga, TUE_NOON, null, null, null),
        row("Paused holds with no end", List.of(policy("frozen", s -> ring(s, UpdateRing.Paused))), GA_NODE, false,
            ga, TUE_NOON, HoldReason.Paused, null, "frozen"),
        row("Paused does not hold a critical channel", List.of(policy("frozen", s -> ring(s, UpdateRing.Paused))),
            GA_NODE, true, ga, TUE_NOON, null, null, null),
        row("a pin holds until it expires", List.of(policy("pinned", s -> pin(s, OLD, "2026-12-03T00:00:00Z"))),
            GA_NODE, false, ga, TUE_NOON, HoldReason.Pinned, Instant.parse("2026-12-03T00:00:00Z"), "pinned"),
        row("an expired pin holds nothing", List.of(policy("pinned", s -> pin(s, OLD, "2026-12-01T00:00:00Z"))),
            GA_NODE, false, ga, TUE_NOON, null, null, null),
        row("a pin to the revision offered holds nothing", List.of(policy("pinned", s -> pin(s, NEW, null))),
            GA_NODE, false, ga, TUE_NOON, null, null, null),
        row("a pin does not hold a critical channel", List.of(policy("pinned", s -> pin(s, OLD, null))), GA_NODE,
            true, ga, TUE_NOON, null, null, null),
        row("override Allow sets a Paused ring aside", List.of(policy("frozen", s -> {
          ring(s, UpdateRing.Paused);
          s.setOverride(PolicyOverride.Allow);
        })), GA_NODE, false, null, TUE_NOON, null, null, null),
        row("override Pause holds", List.of(policy("ga", s -> s.setOverride(PolicyOverride.Pause))), GA_NODE, false,
            ga, TUE_NOON, HoldReason.OverriddenToPause, null, "ga"),
        row("override Pause does not hold a critical channel",
            List.of(policy("ga", s -> s.setOverride(PolicyOverride.Pause))), GA_NODE, true, ga, TUE_NOON, null, null,
            null),
        row("outside a night window (Berlin) until it opens",
            List.of(policy("nights", s -> window(s, WindowType.Allow, List.of("mon", "tue"), "22:00", "04:00",
                "Europe/Berlin"))), GA_NODE, false, ga, TUE_NOON, HoldReason.OutsideWindow,
            Instant.parse("2026-12-01T21:00:00Z"), "nights"),
        row("inside a night window, past midnight, on the day after its day",
            List.of(policy("nights", s -> window(s, WindowType.Allow, List.of("tue"), "22:00", "04:00",
                "Europe/Berlin"))), GA_NODE, false, ga, Instant.parse("2026-12-02T02:00:00Z"), null, null, null),
        row("a deny window (a freeze) holds until it closes",
            List.of(policy("freeze", s -> window(s, WindowType.Deny, null, "11:00", "13:30", "UTC"))), GA_NODE, false,
            ga, TUE_NOON, HoldReason.DenyWindow, Instant.parse("2026-12-01T13:30:00Z"), "freeze"),
        row("a deny window inside an allow window cuts it",
            List.of(policy("work", s -> {
              window(s, WindowType.Allow, null, "08:00", "18:00", "UTC");
              window(s, WindowType.Deny, null, "11:00", "12:30", "UTC");
            })), GA_NODE, false, ga, TUE_NOON, HoldReason.DenyWindow, Instant.parse("2026-12-01T12:30:00Z"), "work"),
        row("a delay that ends outside the window waits for the window",
            List.of(policy("nights", s -> {
              s.setDelay("1h");
              window(s, WindowType.Allow, null, "20:00", "22:00", "UTC");
            })), GA_NODE, false, ga, TUE_NOON, HoldReason.Delayed, Instant.parse("2026-12-01T20:00:00Z"), "nights"),
        // New York switches to daylight time on 2026-03-08: 09:00 local is 14:00 UTC before, 13:00 UTC after
        row("New York hours before the spring change",
            List.of(policy("office", s -> window(s, WindowType.Allow, null, "09:00", "17:00", "America/New_York"))),
            GA_NODE, false, Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-06T13:30:00Z"),
            HoldReason.OutsideWindow, Instant.parse("2026-03-06T14:00:00Z"), "office"),
        row("New York hours after the spring change",
            List.of(policy("office", s -> window(s, WindowType.Allow, null, "09:00", "17:00", "America/New_York"))),
            GA_NODE, false, Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-09T13:30:00Z"), null, null,
            null),
        // Berlin springs forward at 02:00 on 2026-03-29: 02:30 does not exist that night, the window opens at 03:30
        row("a start inside the spring-forward gap moves later by the gap",
            List.of(policy("night", s -> window(s, WindowType.Allow, null, "02:30", "05:00", "Europe/Berlin"))),
            GA_NODE, false, Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-29T01:00:00Z"),
            HoldReason.OutsideWindow, Instant.parse("2026-03-29T01:30:00Z"), "night"),
        // Berlin falls back at 03:00 on 2026-10-25: 02:30 happens twice; the window opens at the first
        row("a start inside the autumn overlap takes the earlier offset",
            List.of(policy("night", s -> window(s, WindowType.Allow, null, "02:30", "05:00", "Europe/Berlin"))),
            GA_NODE, false, Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-10-25T00:00:00Z"),
            HoldReason.OutsideWindow, Instant.parse("2026-10-25T00:30:00Z"), "night"),
        row("the higher precedence governs where policies overlap",
            List.of(policy("ga", s -> s.setDelay("1h")), policy("all-paused", s -> {
              ring(s, UpdateRing.Paused);
              s.setPools(null);
              s.setNodeSelector(new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
                  .withMatchLabels(Map.of("wavegate.io/pool", "ga")).build());
              s.setPrecedence(10);
            })), GA_NODE, false, ga, TUE_NOON, HoldReason.Paused, null, "all-paused"),
        row("equal precedence: the name first in alphabetical order governs",
            List.of(policy("b-paused", s -> ring(s, UpdateRing.Paused)), policy("a-early", s -> ring(s,
                UpdateRing.EarlyAccess))), GA_NODE, false, null, TUE_NOON, null, null, null),
        row("a policy for other channels does not govern",
            List.of(policy("ga", s -> {
              ring(s, UpdateRing.Paused);
              ChannelSelection channels = new ChannelSelection();
              channels.setNames(List.of("other"));
              s.setChannels(channels);
            })), GA_NODE, false, null, TUE_NOON, null, null, null),
        row("a policy for other pools does not govern", List.of(policy("ga", s -> ring(s, UpdateRing.Paused))),
            CANARY_NODE, false, null, TUE_NOON, null, null, null),
        row("an unknown time zone holds its nodes",
            List.of(policy("typo", s -> window(s, WindowType.Allow, null, "01:00", "02:00", "Europe/Berlim"))),
            GA_NODE, true, ga, TUE_NOON, HoldReason.InvalidPolicy, null, "typo"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void holds(Row row) {
    UpdatePolicies policies = new UpdatePolicies(row.policies().stream().map(UpdatePolicy::of)
        .filter(p -> p.appliesTo("sensor-rules", Map.of())).toList(), "wavegate.io/pool", row.critical(), Set.of(),
        row.now());
    Optional<Hold> hold = policies.hold("node-1", row.node(), NEW, row.availableAt());
    assertThat(hold.map(Hold::reason).orElse(null)).as(hold.map(Hold::message).orElse("no hold"))
        .isEqualTo(row.reason());
    assertThat(hold.flatMap(Hold::until).orElse(null)).isEqualTo(row.until());
    assertThat(hold.map(Hold::policy).orElse(null)).isEqualTo(row.policy());
  }

  @Test
  void aRevokedPinIsLeft() {
    UpdatePolicy pinned = UpdatePolicy.of(policy("pinned", s -> pin(s, OLD, null)));
    UpdatePolicies policies = new UpdatePolicies(List.of(pinned), "wavegate.io/pool", false, Set.of(OLD), TUE_NOON);
    assertThat(policies.hold("node-1", GA_NODE, NEW, TUE_NOON)).isEmpty();
    assertThat(policies.revokedPins()).containsExactly("policy pinned pins aaaaaaaaaaaa, a revision this channel"
        + " revoked: the pin is left, and its nodes follow the channel");
    assertThat(new UpdatePolicies(List.of(pinned), "wavegate.io/pool", false, Set.of(), TUE_NOON).revokedPins())
        .isEmpty();
  }

  @Test
  void jitterSpreadsNodesAfterTheWindowOpensAndEachNodeKeepsItsShare() {
    ContentUpdatePolicy nights = policy("nights", s -> {
      window(s, WindowType.Allow, null, "12:00", "18:00", "UTC");
      s.setJitter("10m");
    });
    UpdatePolicies atOpening = new UpdatePolicies(List.of(UpdatePolicy.of(nights)), "wavegate.io/pool", false,
        Set.of(), TUE_NOON);
    List<Instant> starts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Optional<Hold> hold = atOpening.hold("node-" + i, GA_NODE, NEW, TUE_NOON.minus(Duration.ofDays(1)));
      Instant start = hold.flatMap(Hold::until).orElse(TUE_NOON);
      assertThat(start).isBetween(TUE_NOON, TUE_NOON.plus(Duration.ofMinutes(10)));
      starts.add(start);
      UpdatePolicies later = new UpdatePolicies(List.of(UpdatePolicy.of(nights)), "wavegate.io/pool", false,
          Set.of(), start);
      assertThat(later.hold("node-" + i, GA_NODE, NEW, TUE_NOON.minus(Duration.ofDays(1)))).isEmpty();
    }
    assertThat(starts.stream().distinct().count()).as("20 nodes spread over 10 minutes").isGreaterThan(10);
  }

  private static Arguments row(String name, List<ContentUpdatePolicy> policies, Map<String, String> node,
      boolean critical, Instant availableAt, Instant now, HoldReason reason, Instant until, String policy) {
    return Arguments.of(new Row(name, policies, node, critical, availableAt, now, reason, until, policy));
  }

  static ContentUpdatePolicy policy(String name, Consumer<ContentUpdatePolicySpec> shape) {
    ContentUpdatePolicySpec spec = new ContentUpdatePolicySpec();
    spec.setPools(List.of("ga"));
    shape.accept(spec);
    ContentUpdatePolicy policy = new ContentUpdatePolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(name).build());
    policy.setSpec(spec);
    return policy;
  }

  private static void ring(ContentUpdatePolicySpec spec, UpdateRing ring) {
    spec.setRing(ring);
  }

  private static void pin(ContentUpdatePolicySpec spec, String revision, String until) {
    PinSpec pin = new PinSpec();
    pin.setRevision(revision);
    pin.setUntil(until);
    spec.setPin(pin);
  }

  private static void window(ContentUpdatePolicySpec spec, WindowType type, List<String> days, String start,
      String end, String zone) {
    UpdateWindow window = new UpdateWindow();
    window.setType(type);
    window.setDays(days);
    window.setStart(start);
    window.setEnd(end);
    window.setTimeZone(zone);
    List<UpdateWindow> windows = spec.getWindows() == null ? new ArrayList<>() : new ArrayList<>(spec.getWindows());
    windows.add(window);
    spec.setWindows(windows);
  }
}
