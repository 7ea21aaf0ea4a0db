package io.wavegate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegate.analysis.MetricJudge.Limits;
import io.wavegate.analysis.MetricJudge.NoData;
import io.wavegate.analysis.MetricJudge.Outcome;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MetricJudgeTest {

  static final Limits MAX_0 = new Limits(null, 0.0, NoData.Fail, null, null);
  static final Limits RATIO = new Limits(null, null, NoData.Inconclusive, 1.5, null);
  static final Limits RATIO_OR_MARGIN = new Limits(null, null, NoData.Inconclusive, 1.5, 2.0);

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("zero crashes pass max 0", MAX_0, values(0), none(), Outcome.Passed, "0 within its thresholds"),
        Arguments.of("one crash fails max 0", MAX_0, values(1), none(), Outcome.Failed, "1 > max 0"),
        Arguments.of("the worst series is judged", MAX_0, values(0, 0, 3), none(), Outcome.Failed, "3 > max 0"),
        Arguments.of("below min fails", new Limits(0.99, null, NoData.Fail, null, null), values(0.95), none(),
            Outcome.Failed, "0.95 < min 0.99"),
        Arguments.of("between min and max passes", new Limits(1.0, 5.0, NoData.Fail, null, null), values(3), none(),
            Outcome.Passed, "3 within its thresholds"),
        Arguments.of("no data under Fail fails", MAX_0, values(), none(), Outcome.Failed, "no data (noData: Fail)"),
        Arguments.of("no data under Ignore counts for nothing", new Limits(null, 0.0, NoData.Ignore, null, null),
            values(), none(), Outcome.Ignored, "noData: Ignore"),
        Arguments.of("no data under Inconclusive halts", RATIO, values(), baseline(1), Outcome.Inconclusive,
            "noData: Inconclusive"),
        Arguments.of("a provider error is an error", MAX_0, Measurement.failed("connection refused"), none(),
            Outcome.Error, "connection refused"),
        Arguments.of("fleet-wide noise passes the baseline", RATIO, values(4), baseline(3), Outcome.Passed,
            "within baseline 3 x 1.5"),
        Arguments.of("a rate that rises on updated nodes only fails it", RATIO, values(6), baseline(3), Outcome.Failed,
            "6 > baseline 3 x 1.5"),
        Arguments.of("a zero baseline fails any crash by ratio alone", RATIO, values(1), baseline(0), Outcome.Failed,
            "1 > baseline 0 x 1.5"),
        Arguments.of("a margin lets a little through above a zero baseline", RATIO_OR_MARGIN, values(2), baseline(0),
            Outcome.Passed, "within baseline 0 x 1.5 and baseline 0 + 2"),
        Arguments.of("above every allowance fails", RATIO_OR_MARGIN, values(7), baseline(3), Outcome.Failed,
            "7 > baseline 3 x 1.5 and baseline 3 + 2"),
        Arguments.of("a baseline with no data leaves the thresholds to judge", RATIO, values(9), baseline(),
            Outcome.Passed, "9 within its thresholds"),
        Arguments.of("a baseline error is an error", RATIO, values(1), Optional.of(Measurement.failed("timeout")),
            Outcome.Error, "baseline query: timeout"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void judges(String name, Limits limits, Measurement updated, Optional<Measurement> baseline, Outcome outcome,
      String reason) {
    MetricJudge.Verdict verdict = MetricJudge.judge(limits, updated, baseline.isEmpty() ? Optional.empty() : baseline);
    assertThat(verdict.outcome()).isEqualTo(outcome);
    assertThat(verdict.reason()).contains(reason);
  }

  private static Measurement values(double... values) {
    return Measurement.of(java.util.Arrays.stream(values).boxed().toList());
  }

  private static Optional<Measurement> baseline(double... values) {
    return Optional.of(values(values));
  }

  private static Optional<Measurement> none() {
    return Optional.empty();
  }
}
