package io.wavegate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegate.analysis.MetricJudge.Outcome;
import io.wavegate.health.Breach;
import io.wavegate.health.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetricGatesTest {

  static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  static final String REV = "a".repeat(64);
  static final MetricDef CRASHES = new MetricDef("crashes", "http://p:9090", "q", Duration.ofSeconds(30),
      new MetricJudge.Limits(null, 0.0, MetricJudge.NoData.Inconclusive, null, null), 1, 2, null, false,
      Duration.ofSeconds(5), null);
  static final List<String> NODES = List.of("c1", "c2");

  static MetricReading reading(Outcome outcome, Double value, String reason, int secondsAfter) {
    return new MetricReading("crashes", REV, T0.plusSeconds(secondsAfter), new MetricJudge.Verdict(outcome, value, reason),
        NODES, null);
  }

  @Test
  void readingsAreCountedOnceEvenWhenHandedInAgain() {
    List<MetricReading> readings = List.of(reading(Outcome.Failed, 1.0, "1 > max 0", 1),
        reading(Outcome.Passed, 0.0, "0 within", 2));
    List<MetricRecord> once = MetricGates.fold(List.of(CRASHES), List.of(), readings, REV);
    List<MetricRecord> twice = MetricGates.fold(List.of(CRASHES), once, readings, REV);

    assertThat(twice).isEqualTo(once);
    assertThat(once.get(0).measurements()).isEqualTo(2);
    assertThat(once.get(0).failures()).isEqualTo(1);
    assertThat(once.get(0).value()).isEqualTo(0.0);
    assertThat(once.get(0).outcome()).isEqualTo(Outcome.Passed);
  }

  @Test
  void readingsOfAnotherRevisionAreNotCounted() {
    MetricReading old = new MetricReading("crashes", "b".repeat(64), T0, new MetricJudge.Verdict(Outcome.Failed, 1.0,
        "x"), NODES, null);
    assertThat(MetricGates.fold(List.of(CRASHES), List.of(), List.of(old), REV).get(0).measurements()).isZero();
  }

  @Test
  void failuresBeyondTheLimitAreAThresholdBreachNamingMetricValueLimitAndNodes() {
    List<MetricRecord> records = MetricGates.fold(List.of(CRASHES), List.of(), List.of(
        reading(Outcome.Failed, 1.0, "1 > max 0", 1), reading(Outcome.Failed, 3.0, "3 > max 0", 2)), REV);
    Breach breach = MetricGates.breach(List.of(CRASHES), records, NODES).orElseThrow();
    assertThat(breach.signal()).isEqualTo(Signal.MetricThreshold);
    assertThat(breach.message()).isEqualTo("metric crashes: 3 > max 0 over 2 updated nodes (c1, c2); 2 failed"
        + " measurements, failureLimit 1");
  }

  @Test
  void oneFailureWithinTheLimitIsNoBreach() {
    List<MetricRecord> records = MetricGates.fold(List.of(CRASHES), List.of(), List.of(
        reading(Outcome.Failed, 1.0, "1 > max 0", 1)), REV);
    assertThat(MetricGates.breach(List.of(CRASHES), records, NODES)).isEmpty();
  }

  @Test
  void providerErrorsInARowBeyondTheLimitAreABreachAndAnAnswerResetsTheCount() {
    List<MetricRecord> twoErrors = MetricGates.fold(List.of(CRASHES), List.of(), List.of(
        reading(Outcome.Error, null, "connection refused", 1), reading(Outcome.Error, null, "connection refused", 2)),
        REV);
    assertThat(MetricGates.breach(List.of(CRASHES), twoErrors, NODES)).isEmpty();
    List<MetricRecord> answered = MetricGates.fold(List.of(CRASHES), twoErrors, List.of(
        reading(Outcome.Passed, 0.0, "0 within", 3)), REV);
    assertThat(answered.get(0).consecutiveErrors()).isZero();
    List<MetricRecord> three = MetricGates.fold(List.of(CRASHES), twoErrors, List.of(
        reading(Outcome.Error, null, "connection refused", 3)), REV);
    Breach breach = MetricGates.breach(List.of(CRASHES), three, NODES).orElseThrow();
    assertThat(breach.signal()).isEqualTo(Signal.MetricProviderError);
    assertThat(breach.message()).contains("3 provider errors in a row, consecutiveErrorLimit 2: connection refused");
  }

  @Test
  void noDataHaltsUntilAPersonAcceptsItThenItIsIgnored() {
    List<MetricRecord> records = MetricGates.fold(List.of(CRASHES), List.of(), List.of(
        reading(Outcome.Inconclusive, null, "the query returned no data", 1)), REV);
    assertThat(MetricGates.breach(List.of(CRASHES), records, NODES)).get().extracting(Breach::signal)
        .isEqualTo(Signal.MetricInconclusive);

    List<MetricRecord> accepted = MetricGates.acceptNoData(records);
    assertThat(MetricGates.breach(List.of(CRASHES), accepted, NODES)).isEmpty();
    List<MetricRecord> later = MetricGates.fold(List.of(CRASHES), accepted, List.of(
        reading(Outcome.Inconclusive, null, "the query returned no data", 2)), REV);
    assertThat(later.get(0).outcome()).isEqualTo(Outcome.Ignored);
    assertThat(MetricGates.breach(List.of(CRASHES), later, NODES)).isEmpty();
  }

  @Test
  void aGateIsDueAtOnceThenEveryInterval() {
    assertThat(MetricGates.due(List.of(CRASHES), List.of(), T0).now()).containsExactly(CRASHES);
    List<MetricRecord> measured = MetricGates.fold(List.of(CRASHES), List.of(), List.of(
        reading(Outcome.Passed, 0.0, "0 within", 0)), REV);
    MetricGates.Due soon = MetricGates.due(List.of(CRASHES), measured, T0.plusSeconds(10));
    assertThat(soon.now()).isEmpty();
    assertThat(soon.next()).isEqualTo(Optional.of(T0.plusSeconds(30)));
    assertThat(MetricGates.due(List.of(CRASHES), measured, T0.plusSeconds(30)).now()).containsExactly(CRASHES);
  }
}
