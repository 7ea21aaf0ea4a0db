package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * A weekly time window in the shape system-upgrade-controller and kured share: days, a start and an
 * end time of day, and a time zone. An end at or before the start crosses midnight into the next day.
 */
public class UpdateWindow {

  static final String TIME_OF_DAY = "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$";
  static final String DAY = "^(mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$";

  @Required
  @JsonPropertyDescription("Allow: nodes take content only inside allow windows (when any are set). Deny: a freeze,"
      + " nodes take no new content inside it. Recovery (rollback, revocation) passes both.")
  private WindowType type;

  @Size(max = 7)
  @ValidationRule(value = "self.all(d, d.matches('" + DAY + "'))",
      message = "days must be mon, tue, wed, thu, fri, sat or sun (or the full name)")
  @JsonPropertyDescription("Days the window starts on: mon..sun or monday..sunday. Default every day.")
  private List<@Size(max = 9) String> days;

  @Required
  @Size(max = 8)
  @ValidationRule(value = "self.matches('" + TIME_OF_DAY + "')", message = "start must be a time of day HH:MM or HH:MM:SS")
  @JsonPropertyDescription("Start time of day, HH:MM or HH:MM:SS, in timeZone.")
  private String start;

  @Required
  @Size(max = 8)
  @ValidationRule(value = "self.matches('" + TIME_OF_DAY + "')", message = "end must be a time of day HH:MM or HH:MM:SS")
  @JsonPropertyDescription("End time of day, HH:MM or HH:MM:SS, in timeZone; at or before start: the next day.")
  private String end;

  @Size(max = 64)
  @JsonPropertyDescription("IANA time zone of start and end, such as Europe/Berlin; daylight-saving changes follow"
      + " it. Default UTC.")
  private String timeZone;

  public WindowType getType() { return type; }
  public void setType(WindowType type) { this.type = type; }
  public List<String> getDays() { return days; }
  public void setDays(List<String> days) { this.days = days; }
  public String getStart() { return start; }
  public void setStart(String start) { this.start = start; }
  public String getEnd() { return end; }
  public void setEnd(String end) { this.end = end; }
  public String getTimeZone() { return timeZone; }
  public void setTimeZone(String timeZone) { this.timeZone = timeZone; }
}
