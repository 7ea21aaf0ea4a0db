package io.wavegate.analysis;

import java.time.Instant;
import java.util.List;

/**
 * One completed measurement of a metric gate for a revision: the verdict, the nodes it was taken over,
 * and the template (generation) it was taken with, or null for a gate written inline.
 */
public record MetricReading(String metric, String revision, Instant at, MetricJudge.Verdict verdict,
    List<String> nodes, MetricDef.Template template) {}
