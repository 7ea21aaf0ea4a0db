package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A webhook's last answer for the revision in flight. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebhookStatus {

  @JsonPropertyDescription("The wave that asked.")
  private String wave;
  @JsonPropertyDescription("The webhook's name.")
  private String name;
  @JsonPropertyDescription("PreWave or PostBake.")
  private String type;
  @JsonPropertyDescription("Passed (a 2xx answer) or Failed (anything else, or no answer after the retries).")
  private String outcome;
  @JsonPropertyDescription("The HTTP status and the start of the answer's body, or why there was none.")
  private String message;
  @JsonPropertyDescription("RFC 3339 time of the answer.")
  private String at;

  public String getWave() { return wave; }
  public void setWave(String wave) { this.wave = wave; }
  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getType() { return type; }
  public void setType(String type) { this.type = type; }
  public String getOutcome() { return outcome; }
  public void setOutcome(String outcome) { this.outcome = outcome; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public String getAt() { return at; }
  public void setAt(String at) { this.at = at; }
}
