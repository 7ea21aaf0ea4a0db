package io.wavegate.contract;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** What an assignment and a report both name: the channel (the list-map key) and the revision. */
public abstract class ChannelEntry {

  @Required
  @Size(max = 63)
  @JsonPropertyDescription("The channel (the ContentRollout's name); the key of the list.")
  private String channel;
  @Required
  @Size(max = 64)
  @JsonPropertyDescription("Full sha256 of the content.")
  private String revision;
  @Size(max = 12)
  @JsonPropertyDescription("The first 12 hex of revision, for the printer columns.")
  private String shortRevision;

  public String getChannel() { return channel; }
  public void setChannel(String channel) { this.channel = channel; }
  public String getRevision() { return revision; }
  public void setRevision(String revision) { this.revision = revision; }
  public String getShortRevision() { return shortRevision; }
  public void setShortRevision(String shortRevision) { this.shortRevision = shortRevision; }
}
