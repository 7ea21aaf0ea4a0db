package io.wavegate.sim;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.wavegate.api.ChannelSelection;
import io.wavegate.api.ContentUpdatePolicy;
import io.wavegate.api.ContentUpdatePolicySpec;
import io.wavegate.api.PinSpec;
import io.wavegate.api.UpdateRing;
import io.wavegate.api.UpdateWindow;
import io.wavegate.api.WindowType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** ContentUpdatePolicies for tests and the demo: a node owner's policy over pools of one fleet and one channel. */
public final class Policies {

  private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private Policies() {}

  /** A policy over {@code pools} of the fleet labelled fleet={@code fleet}, for one channel. */
  public static ContentUpdatePolicy over(String name, String fleet, String channel, UpdateRing ring, String... pools) {
    ContentUpdatePolicySpec spec = new ContentUpdatePolicySpec();
    spec.setPools(List.of(pools));
    spec.setNodeSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("fleet", fleet)).build());
    ChannelSelection channels = new ChannelSelection();
    channels.setNames(List.of(channel));
    spec.setChannels(channels);
    spec.setRing(ring);
    ContentUpdatePolicy policy = new ContentUpdatePolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(name).build());
    policy.setSpec(spec);
    return policy;
  }

  /** Adds a window from one instant to another, written as times of day in UTC (seconds wide if need be). */
  public static ContentUpdatePolicy window(ContentUpdatePolicy policy, WindowType type, Instant from, Instant to) {
    UpdateWindow window = new UpdateWindow();
    window.setType(type);
    window.setStart(TIME_OF_DAY.format(from));
    window.setEnd(TIME_OF_DAY.format(to));
    window.setTimeZone("UTC");
    List<UpdateWindow> windows = policy.getSpec().getWindows() == null ? new ArrayList<>()
        : new ArrayList<>(policy.getSpec().getWindows());
    windows.add(window);
    policy.getSpec().setWindows(windows);
    return policy;
  }

  public static ContentUpdatePolicy pin(ContentUpdatePolicy policy, String revision, Instant until) {
    PinSpec pin = new PinSpec();
    pin.setRevision(revision);
    pin.setUntil(until == null ? null : until.toString());
    policy.getSpec().setPin(pin);
    return policy;
  }
}
