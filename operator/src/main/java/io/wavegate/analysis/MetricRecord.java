package io.wavegate.analysis;

import java.time.Instant;

/**
 * What the measurements of one metric gate add up to for the revision in flight; kept in
 * status.health.metrics, so that a restarted operator goes on counting where it stopped; with the
 * template generation its last measurement used.
 */
public record MetricRecord(String name, Double value, MetricJudge.Outcome outcome, String message, Instant at,
    int measurements, int failures, int consecutiveErrors, boolean noDataAccepted, MetricDef.Template template) {

  static MetricRecord first(String name) {
    return new MetricRecord(name, null, null, null, null, 0, 0, 0, false, null);
  }

  MetricRecord with(MetricReading reading) {
    MetricJudge.Verdict verdict = reading.verdict();
    boolean failed = verdict.outcome() == MetricJudge.Outcome.Failed;
    boolean error = verdict.outcome() == MetricJudge.Outcome.Error;
    return new MetricRecord(name, verdict.value() != null ? verdict.value() : error ? value : null, verdict.outcome(),
        verdict.reason(), reading.at(), measurements + 1, failures + (failed ? 1 : 0),
        error ? consecutiveErrors + 1 : 0, noDataAccepted, reading.template());
  }

  MetricRecord acceptingNoData() {
    return new MetricRecord(name, value, outcome, message, at, measurements, failures, consecutiveErrors, true, template);
  }
}
