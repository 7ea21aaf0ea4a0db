package io.wavegate.plan;

import java.util.Map;
import java.util.Optional;

/**
 * A fleet node as the planner sees it: its labels, and the wave it was already assigned to for the
 * revision being planned (membership is sticky once assigned).
 */
public record PlanNode(String name, Map<String, String> labels, Optional<String> assignedWave) {}
