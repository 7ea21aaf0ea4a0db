package io.wavegate.policy;

import java.time.Instant;

/** A half-open span of time [start, end). */
public record Interval(Instant start, Instant end) {

  public boolean contains(Instant at) {
    return !at.isBefore(start) && at.isBefore(end);
  }
}
