package io.wavegate.analysis;

import java.time.Instant;
import java.util.List;

/** One completed measurement of a metric gate for a revision: the verdict and the nodes it was taken over. */
public record MetricReading(String metric, String revision, Instant at, MetricJudge.Verdict verdict,
    List<String> nodes) {}
