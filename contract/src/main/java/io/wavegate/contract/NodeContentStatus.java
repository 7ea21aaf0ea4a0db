package io.wavegate.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The node agent's reports, one entry per channel (a list-map keyed by channel). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeContentStatus {

  @Size(max = 256)
  @JsonPropertyDescription("One report per channel, written by the agent of this node alone.")
  private List<ChannelReport> channels;

  public List<ChannelReport> getChannels() { return channels; }
  public void setChannels(List<ChannelReport> channels) { this.channels = channels; }
}
