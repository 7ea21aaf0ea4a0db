package io.wavegate.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Judges one measurement of a metric gate. Pure: thresholds, the no-data policy and the optional
 * baseline in; an outcome, the value judged and why out.
 *
 * <p>A query may return several series; the gate judges the worst of them (the largest against
 * {@code max} and a baseline, the smallest against {@code min}). With a baseline, the value over the
 * updated nodes fails when it exceeds every allowance given: the baseline's value times
 * {@code maxRatio}, the baseline's value plus {@code maxMargin}. A baseline with no data (no node is
 * left on the stable revision) leaves the thresholds alone to judge.
 */
public final class MetricJudge {

  private MetricJudge() {}

  public enum NoData { Fail, Ignore, Inconclusive }

  public enum Outcome {
    /** Within its limits. */
    Passed,
    /** Outside them, or no data under noData: Fail. Counts against failureLimit. */
    Failed,
    /** No data under noData: Ignore. Counts for nothing. */
    Ignored,
    /** No data under noData: Inconclusive. Halts the rollout for a person. */
    Inconclusive,
    /** The provider did not answer with a result. Counts against consecutiveErrorLimit. */
    Error
  }

  public record Limits(Double min, Double max, NoData noData, Double maxRatio, Double maxMargin) {
    boolean hasBaseline() {
      return maxRatio != null || maxMargin != null;
    }
  }

  public record Verdict(Outcome outcome, Double value, String reason) {}

  public static Verdict judge(Limits limits, Measurement updated, Optional<Measurement> baseline) {
    if (updated.error().isPresent()) {
      return new Verdict(Outcome.Error, null, updated.error().get());
    }
    if (updated.noData()) {
      return switch (limits.noData()) {
        case Fail -> new Verdict(Outcome.Failed, null, "the query returned no data (noData: Fail)");
        case Ignore -> new Verdict(Outcome.Ignored, null, "the query returned no data (noData: Ignore)");
        case Inconclusive -> new Verdict(Outcome.Inconclusive, null,
            "the query returned no data (noData: Inconclusive): check that it selects the updated nodes' series");
      };
    }
    double highest = Collections.max(updated.values());
    double lowest = Collections.min(updated.values());
    if (limits.max() != null && highest > limits.max()) {
      return new Verdict(Outcome.Failed, highest, format(highest) + " > max " + format(limits.max()));
    }
    if (limits.min() != null && lowest < limits.min()) {
      return new Verdict(Outcome.Failed, lowest, format(lowest) + " < min " + format(limits.min()));
    }
    if (limits.hasBaseline() && baseline.isPresent()) {
      Measurement stable = baseline.get();
      if (stable.error().isPresent()) {
        return new Verdict(Outcome.Error, highest, "baseline query: " + stable.error().get());
      }
      if (!stable.noData()) {
        double base = Collections.max(stable.values());
        List<String> allowances = new ArrayList<>();
        double allowed = Double.NEGATIVE_INFINITY;
        if (limits.maxRatio() != null) {
          allowed = Math.max(allowed, base * limits.maxRatio());
          allowances.add("baseline " + format(base) + " x " + format(limits.maxRatio()));
        }
        if (limits.maxMargin() != null) {
          allowed = Math.max(allowed, base + limits.maxMargin());
          allowances.add("baseline " + format(base) + " + " + format(limits.maxMargin()));
        }
        if (highest > allowed) {
          return new Verdict(Outcome.Failed, highest, format(highest) + " > " + String.join(" and ", allowances)
              + " (the nodes still on the stable revision)");
        }
        return new Verdict(Outcome.Passed, highest, format(highest) + " within " + String.join(" and ", allowances));
      }
    }
    double shown = limits.max() != null || limits.min() == null ? highest : lowest;
    return new Verdict(Outcome.Passed, shown, format(shown) + " within its thresholds");
  }

  static String format(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    return new java.math.BigDecimal(value).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
  }
}
