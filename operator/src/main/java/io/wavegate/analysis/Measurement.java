package io.wavegate.analysis;

import java.util.List;
import java.util.Optional;

/**
 * What one query returned: the sample values of its result (one per series; none is no data), or
 * the provider's error. Plain values, so that the judgement is pure.
 */
public record Measurement(List<Double> values, Optional<String> error) {

  public static Measurement of(List<Double> values) {
    return new Measurement(List.copyOf(values), Optional.empty());
  }

  public static Measurement failed(String error) {
    return new Measurement(List.of(), Optional.of(error));
  }

  public boolean noData() {
    return error.isEmpty() && values.isEmpty();
  }
}
