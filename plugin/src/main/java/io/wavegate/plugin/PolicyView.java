package io.wavegate.plugin;

import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentUpdatePolicy;
import io.wavegate.api.ContentUpdatePolicySpec;
import io.wavegate.api.HoldStatus;
import io.wavegate.contract.Digests;
import io.wavegate.contract.Durations;
import io.wavegate.policy.UpdatePolicies;
import io.wavegate.policy.UpdatePolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kubectl wavegate policies}: every update policy with its ring, what it selects, its pin, whether its
 * windows are open now and when that changes, and how many nodes it holds across rollouts (their
 * status.holds). Pure: the policies, the rollouts and the clock in, the table out.
 */
public final class PolicyView {

  private PolicyView() {}

  public static String render(List<ContentUpdatePolicy> policies, List<ContentRollout> rollouts, Instant now) {
    String format = "%-20s %-19s %4s  %-14s %-24s %-6s %-42s %-42s %-8s %s%n";
    StringBuilder out = new StringBuilder(String.format(format, "NAME", "RING", "PREC", "SELECTS", "CHANNELS", "DELAY",
        "PIN", "WINDOWS", "OVERRIDE", "HOLDING"));
    for (ContentUpdatePolicy policy : policies.stream()
        .sorted(Comparator.comparing((ContentUpdatePolicy p) -> p.getMetadata().getName())).toList()) {
      ContentUpdatePolicySpec spec = policy.getSpec();
      UpdatePolicy resolved = UpdatePolicy.of(policy);
      out.append(String.format(format, policy.getMetadata().getName(), resolved.ring(), resolved.precedence(),
          selects(spec), channels(resolved), Durations.format(resolved.delay()), pin(resolved, now),
          windows(resolved, now), resolved.override().map(Enum::name).orElse("-"), holding(policy, rollouts)));
    }
    return out.toString();
  }

  private static String selects(ContentUpdatePolicySpec spec) {
    List<String> parts = new ArrayList<>();
    if (spec.getPools() != null && !spec.getPools().isEmpty()) {
      parts.add("pools " + String.join(",", spec.getPools()));
    }
    if (spec.getNodeSelector() != null) {
      parts.add("selector");
    }
    return String.join(" + ", parts);
  }

  private static String channels(UpdatePolicy policy) {
    if (policy.allChannels()) {
      return "all";
    }
    List<String> parts = new ArrayList<>(policy.channelNames().stream().sorted().toList());
    if (policy.channelSelector() != null) {
      parts.add("selector");
    }
    return String.join(",", parts);
  }

  private static String pin(UpdatePolicy policy, Instant now) {
    return policy.pin().map(p -> Digests.shortRevision(p.revision()) + (p.activeAt(now) ? "" : " (expired)")
        + p.until().filter(u -> u.isAfter(now)).map(u -> " until " + u).orElse("")).orElse("-");
  }

  private static String windows(UpdatePolicy policy, Instant now) {
    if (policy.problem().isPresent()) {
      return "invalid: " + policy.problem().get();
    }
    if (policy.windows().isEmpty()) {
      return "-";
    }
    UpdatePolicies at = new UpdatePolicies(List.of(policy), "", false, Set.of(), now);
    boolean open = at.windowOpen(policy);
    Optional<Instant> edge = at.nextWindowEdge(policy);
    return (open ? "open" : "closed") + edge.map(t -> (open ? ", closes " : ", opens ") + t).orElse("");
  }

  private static String holding(ContentUpdatePolicy policy, List<ContentRollout> rollouts) {
    int held = 0;
    for (ContentRollout rollout : rollouts) {
      List<HoldStatus> holds = rollout.getStatus() == null || rollout.getStatus().getHolds() == null ? List.of()
          : rollout.getStatus().getHolds();
      held += holds.stream().filter(h -> policy.getMetadata().getName().equals(h.getPolicy()))
          .mapToInt(h -> h.getCount() == null ? 0 : h.getCount()).sum();
    }
    return held == 0 ? "-" : String.valueOf(held);
  }
}
