package io.wavegate.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The operator's assignments for one node, one entry per channel (a list-map keyed by channel). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeContentSpec {

  @JsonPropertyDescription("Version of the node contract this object follows: " + NodeContent.CONTRACT_VERSION + ".")
  private Integer contractVersion;

  @Size(max = 256)
  @JsonPropertyDescription("One assignment per channel; each channel's entry is written by the operator alone.")
  private List<ChannelAssignment> channels;

  public Integer getContractVersion() { return contractVersion; }
  public void setContractVersion(Integer contractVersion) { this.contractVersion = contractVersion; }
  public List<ChannelAssignment> getChannels() { return channels; }
  public void setChannels(List<ChannelAssignment> channels) { this.channels = channels; }
}
