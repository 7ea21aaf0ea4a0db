package io.wavegate.analysis;

import java.util.List;

/**
 * The measurements a decision asks for: the gates due now over the nodes updated so far, with the
 * nodes still on the stable revision for a baseline.
 */
public record MetricRequest(List<MetricDef> due, String revision, QueryTemplate.Variables variables,
    List<String> stableNodes) {}
