package io.wavegate.policy;

import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentUpdatePolicy;
import io.wavegate.api.PolicyOverride;
import io.wavegate.plan.LabelSelectors;
import io.wavegate.api.UpdateRing;
import io.wavegate.api.WindowType;
import io.wavegate.contract.Digests;
import io.wavegate.contract.Durations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The update policies of one channel at one instant: which policy governs a node (the highest precedence,
 * then the name), and whether it holds the node back from a revision, why, and until when. Pure: the
 * clock is a value ({@code now}); windows are looked at from a week back to two weeks ahead.
 *
 * <p>Only a new revision is ever held. Whatever moves a node back (a rollback, a revocation, the stable
 * revision after a breach) is not asked here: recovery passes every policy.
 */
public final class UpdatePolicies {

  static final Duration LOOK_BACK = Duration.ofDays(8);
  static final Duration LOOK_AHEAD = Duration.ofDays(15);

  public static final UpdatePolicies NONE = new UpdatePolicies(List.of(), "", false, Set.of(), Instant.EPOCH);

  private final List<UpdatePolicy> policies;
  private final String poolLabel;
  private final boolean critical;
  private final Set<String> revoked;
  private final Instant now;
  /** Each policy's windows over the horizon, worked out once per instance (one decision asks per node). */
  private final Map<String, Spans> spansByPolicy = new HashMap<>();

  /** What a policy's windows allow over the horizon, and the deny windows (freezes) in it. */
  private record Spans(List<Interval> allowed, List<Interval> denied) {}

  /**
   * @param policies the policies that apply to the channel
   * @param critical the channel is marked critical: Paused, Pause overrides and pins do not hold it
   * @param revoked the channel's revoked revisions: a pin to one of them is left
   */
  public UpdatePolicies(List<UpdatePolicy> policies, String poolLabel, boolean critical, Set<String> revoked,
      Instant now) {
    this.policies = policies.stream().sorted(Comparator.comparingInt(UpdatePolicy::precedence).reversed()
        .thenComparing(UpdatePolicy::name)).toList();
    this.poolLabel = poolLabel;
    this.critical = critical;
    this.revoked = Set.copyOf(revoked);
    this.now = now;
  }

  /**
   * The policies that govern a rollout's channel (by name or by the rollout's labels), evaluated at
   * {@code now}: what the operator decides on and what the plugin shows.
   *
   * @param revoked the channel's revoked revisions (status.failedRevisions)
   */
  public static UpdatePolicies forRollout(ContentRollout rollout, List<ContentUpdatePolicy> all, Set<String> revoked,
      Instant now) {
    Map<String, String> labels = LabelSelectors.labelsOf(rollout);
    return new UpdatePolicies(all.stream().map(UpdatePolicy::of)
        .filter(p -> p.appliesTo(rollout.channel(), labels)).toList(),
        rollout.getSpec().getStrategy().poolLabelOrDefault(), Boolean.TRUE.equals(rollout.getSpec().getCritical()),
        revoked, now);
  }

  public boolean isEmpty() {
    return policies.isEmpty();
  }

  public List<UpdatePolicy> policies() {
    return policies;
  }

  /** The one policy that governs a node: the highest precedence among those selecting it, then the name. */
  public Optional<UpdatePolicy> governing(Map<String, String> nodeLabels) {
    return policies.stream().filter(p -> p.selects(nodeLabels, poolLabel)).findFirst();
  }

  /** The node's ring: its governing policy's, EarlyAccess for a node no policy governs. */
  public UpdateRing ring(Map<String, String> nodeLabels) {
    return governing(nodeLabels).map(UpdatePolicy::ring).orElse(UpdateRing.EarlyAccess);
  }

  /**
   * Whether the governing policy holds a node back from taking {@code revision} now.
   *
   * @param availableAt when the revision became generally available (its early-access nodes had it), or null
   */
  public Optional<Hold> hold(String node, Map<String, String> nodeLabels, String revision, Instant availableAt) {
    Optional<UpdatePolicy> governing = governing(nodeLabels);
    if (governing.isEmpty()) {
      return Optional.empty();
    }
    UpdatePolicy policy = governing.get();
    String name = policy.name();
    if (policy.override().orElse(null) == PolicyOverride.Allow) {
      return Optional.empty();
    }
    if (policy.problem().isPresent()) {
      return held(name, HoldReason.InvalidPolicy, "policy " + name + " cannot be evaluated: " + policy.problem().get(),
          null);
    }
    if (!critical) {
      if (policy.override().orElse(null) == PolicyOverride.Pause) {
        return held(name, HoldReason.OverriddenToPause, "policy " + name + " is overridden to Pause", null);
      }
      if (policy.ring() == UpdateRing.Paused) {
        return held(name, HoldReason.Paused, "policy " + name + " is Paused", null);
      }
      Optional<UpdatePolicy.Pin> pin = policy.pin().filter(p -> p.activeAt(now) && !revoked.contains(p.revision()));
      if (pin.isPresent() && !pin.get().revision().equals(revision)) {
        return held(name, HoldReason.Pinned, "policy " + name + " pins " + Digests.shortRevision(pin.get().revision())
            + pin.get().until().map(u -> " until " + u).orElse(""), pin.get().until().orElse(null));
      }
    }
    Instant floor = null;
    if (policy.ring() == UpdateRing.GeneralAvailability) {
      if (availableAt == null) {
        return held(name, HoldReason.AwaitingEarlyAccess, "policy " + name + " (GeneralAvailability) waits for the"
            + " early-access nodes to have " + Digests.shortRevision(revision), null);
      }
      floor = availableAt.plus(policy.delay());
    }
    Instant from = floor == null || floor.isBefore(now) ? now : floor;
    Optional<Instant> eligible = firstEligible(policy, node, revision, from, floor);
    if (eligible.isPresent() && !eligible.get().isAfter(now)) {
      return Optional.empty();
    }
    Instant until = eligible.orElse(null);
    String when = eligible.map(t -> " until " + t).orElse(" for the next " + LOOK_AHEAD.toDays() + " days");
    if (floor != null && now.isBefore(floor)) {
      return held(name, HoldReason.Delayed, "policy " + name + " delays " + Digests.shortRevision(revision) + " by "
          + Durations.format(policy.delay()) + " after general availability" + when, until);
    }
    if (spans(policy).denied().stream().anyMatch(i -> i.contains(now))) {
      return held(name, HoldReason.DenyWindow, "policy " + name + ": a deny window is open" + when, until);
    }
    if (allowed(policy).stream().anyMatch(i -> i.contains(now))) {
      return held(name, HoldReason.Jitter, "policy " + name + ": jitter spreads the nodes; this one starts" + when,
          until);
    }
    return held(name, HoldReason.OutsideWindow, "policy " + name + ": no allow window is open" + when, until);
  }

  /**
   * The pins left because the channel revoked their revision, each as a sentence for status: such a pin holds
   * nothing, and its nodes follow the channel like the others.
   */
  public List<String> revokedPins() {
    return policies.stream().filter(p -> p.pin().map(pin -> pin.activeAt(now) && revoked.contains(pin.revision()))
        .orElse(false)).map(p -> "policy " + p.name() + " pins " + Digests.shortRevision(p.pin().get().revision())
        + ", a revision this channel revoked: the pin is left, and its nodes follow the channel").toList();
  }

  /** Whether the policy's windows let nodes take content now (true when it has none). */
  public boolean windowOpen(UpdatePolicy policy) {
    return allowed(policy).stream().anyMatch(i -> i.contains(now));
  }

  /** The next instant the policy's windows open or close, when one comes within the horizon. */
  public Optional<Instant> nextWindowEdge(UpdatePolicy policy) {
    return allowed(policy).stream().flatMap(i -> java.util.stream.Stream.of(i.start(), i.end()))
        .filter(t -> t.isAfter(now) && t.isBefore(now.plus(LOOK_AHEAD))).min(Comparator.naturalOrder());
  }

  private static Optional<Hold> held(String policy, HoldReason reason, String message, Instant until) {
    return Optional.of(new Hold(policy, reason, message, Optional.ofNullable(until)));
  }

  /**
   * The first instant from {@code from} on that the windows allow, with this node's share of the jitter
   * after the opening of the span it falls in (or the end of the delay, when that is later).
   */
  private Optional<Instant> firstEligible(UpdatePolicy policy, String node, String revision, Instant from,
      Instant floor) {
    for (Interval span : allowed(policy)) {
      if (!span.end().isAfter(from)) {
        continue;
      }
      Instant opened = floor != null && floor.isAfter(span.start()) ? floor : span.start();
      Instant eligible = opened.plus(share(policy.jitter(), Duration.between(opened, span.end()), node, revision));
      return Optional.of(eligible.isBefore(from) ? from : eligible);
    }
    return Optional.empty();
  }

  /** A node's fixed share of the jitter: by its name and the revision, below the jitter and the span. */
  static Duration share(Duration jitter, Duration span, String node, String revision) {
    long bound = Math.min(jitter.toSeconds(), span.toSeconds());
    if (bound <= 0) {
      return Duration.ZERO;
    }
    CRC32 crc = new CRC32();
    crc.update((node + "/" + revision).getBytes(StandardCharsets.UTF_8));
    return Duration.ofSeconds(crc.getValue() % bound); // whole seconds: a time a person reads
  }

  /** The spans the windows allow over the horizon: the allow windows' (all of it without any), minus the deny windows'. */
  private List<Interval> allowed(UpdatePolicy policy) {
    return spans(policy).allowed();
  }

  private Spans spans(UpdatePolicy policy) {
    return spansByPolicy.computeIfAbsent(policy.name(), n -> {
      Instant from = now.minus(LOOK_BACK);
      Instant to = now.plus(LOOK_AHEAD);
      List<Interval> denied = occurrences(policy, WindowType.Deny, from, to);
      List<Interval> allowed = policy.windows().stream().noneMatch(w -> w.type() == WindowType.Allow)
          ? List.of(new Interval(from, to)) : occurrences(policy, WindowType.Allow, from, to);
      for (Interval cut : denied) {
        allowed = subtract(allowed, cut);
      }
      return new Spans(allowed, denied);
    });
  }

  private static List<Interval> occurrences(UpdatePolicy policy, WindowType type, Instant from, Instant to) {
    return merge(policy.windows().stream().filter(w -> w.type() == type)
        .flatMap(w -> w.occurrences(from, to).stream()).toList());
  }

  static List<Interval> merge(List<Interval> intervals) {
    List<Interval> sorted = intervals.stream().sorted(Comparator.comparing(Interval::start)).toList();
    List<Interval> merged = new ArrayList<>();
    for (Interval next : sorted) {
      Interval last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && !next.start().isAfter(last.end())) {
        merged.set(merged.size() - 1, new Interval(last.start(), next.end().isAfter(last.end()) ? next.end() : last.end()));
      } else {
        merged.add(next);
      }
    }
    return merged;
  }

  static List<Interval> subtract(List<Interval> spans, Interval cut) {
    List<Interval> left = new ArrayList<>();
    for (Interval span : spans) {
      if (!cut.end().isAfter(span.start()) || !cut.start().isBefore(span.end())) {
        left.add(span);
        continue;
      }
      if (cut.start().isAfter(span.start())) {
        left.add(new Interval(span.start(), cut.start()));
      }
      if (cut.end().isBefore(span.end())) {
        left.add(new Interval(cut.end(), span.end()));
      }
    }
    return left;
  }
}
