package io.wavegate.policy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.wavegate.api.ChannelSelection;
import io.wavegate.api.ContentUpdatePolicy;
import io.wavegate.api.ContentUpdatePolicySpec;
import io.wavegate.api.PolicyOverride;
import io.wavegate.api.UpdateRing;
import io.wavegate.api.UpdateWindow;
import io.wavegate.contract.Durations;
import io.wavegate.plan.LabelSelectors;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A ContentUpdatePolicy resolved into plain values. One the API server accepted but that cannot be
 * evaluated (an unknown time zone) keeps its selection and carries the problem: it holds its nodes.
 *
 * @param pin the pinned revision and when the pin expires (empty: never)
 */
public record UpdatePolicy(String name, int precedence, Set<String> pools, LabelSelector nodeSelector,
    Set<String> channelNames, LabelSelector channelSelector, boolean allChannels, UpdateRing ring, Duration delay,
    Optional<Pin> pin, List<Window> windows, Duration jitter, Optional<PolicyOverride> override,
    Optional<String> problem) {

  /** A pinned revision, until an instant (empty: no expiry). */
  public record Pin(String revision, Optional<Instant> until) {

    public boolean activeAt(Instant now) {
      return until.map(now::isBefore).orElse(true);
    }
  }

  public static UpdatePolicy of(ContentUpdatePolicy policy) {
    ContentUpdatePolicySpec spec = policy.getSpec() == null ? new ContentUpdatePolicySpec() : policy.getSpec();
    ChannelSelection channels = spec.getChannels();
    Set<String> names = channels == null || channels.getNames() == null ? Set.of() : Set.copyOf(channels.getNames());
    LabelSelector channelSelector = channels == null ? null : channels.getSelector();
    boolean all = names.isEmpty() && channelSelector == null;
    List<String> problems = new ArrayList<>();
    List<Window> windows = new ArrayList<>();
    for (UpdateWindow window : spec.getWindows() == null ? List.<UpdateWindow>of() : spec.getWindows()) {
      try {
        windows.add(Window.of(window));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    Optional<Pin> pin = Optional.empty();
    if (spec.getPin() != null && spec.getPin().getRevision() != null) {
      Optional<Instant> until = Optional.empty();
      try {
        until = Optional.ofNullable(spec.getPin().getUntil()).map(t -> OffsetDateTime.parse(t).toInstant());
      } catch (DateTimeParseException e) {
        problems.add("pin.until is not an RFC 3339 time: " + spec.getPin().getUntil());
      }
      pin = Optional.of(new Pin(spec.getPin().getRevision(), until));
    }
    LabelSelectors.problem(spec.getNodeSelector()).ifPresent(problems::add);
    return new UpdatePolicy(policy.getMetadata().getName(), spec.getPrecedence() == null ? 0 : spec.getPrecedence(),
        spec.getPools() == null ? Set.of() : Set.copyOf(spec.getPools()), spec.getNodeSelector(), names,
        channelSelector, all, spec.getRing() == null ? UpdateRing.GeneralAvailability : spec.getRing(),
        Durations.parse(spec.getDelay(), Duration.ZERO), pin, List.copyOf(windows),
        Durations.parse(spec.getJitter(), Duration.ZERO), Optional.ofNullable(spec.getOverride()),
        problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems)));
  }

  /** Whether it governs a channel, by name or by the ContentRollout's labels. */
  public boolean appliesTo(String channel, Map<String, String> channelLabels) {
    return allChannels || channelNames.contains(channel)
        || channelSelector != null && LabelSelectors.matches(channelSelector, channelLabels);
  }

  /** Whether it selects a node: in one of its pools (by the channel's pool label) and matching its nodeSelector. */
  public boolean selects(Map<String, String> nodeLabels, String poolLabel) {
    if (pools.isEmpty() && nodeSelector == null) {
      return false;
    }
    boolean inPool = pools.isEmpty() || pools.contains(nodeLabels.get(poolLabel));
    return inPool && (nodeSelector == null || LabelSelectors.matches(nodeSelector, nodeLabels));
  }
}
