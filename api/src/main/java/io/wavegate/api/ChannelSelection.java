package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** Which channels (ContentRollouts) a policy governs: by name, by label, or (neither set) all. */
public class ChannelSelection {

  @Size(max = 64)
  @JsonPropertyDescription("Channels by name (the ContentRollout's metadata.name).")
  private List<@Size(max = 50) String> names;

  @JsonPropertyDescription("Channels whose ContentRollout labels match this selector.")
  private LabelSelector selector;

  public List<String> getNames() { return names; }
  public void setNames(List<String> names) { this.names = names; }
  public LabelSelector getSelector() { return selector; }
  public void setSelector(LabelSelector selector) { this.selector = selector; }
}
