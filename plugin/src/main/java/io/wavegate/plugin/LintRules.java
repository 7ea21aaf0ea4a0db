package io.wavegate.plugin;

import static io.wavegate.plugin.CrdSchema.list;
import static io.wavegate.plugin.CrdSchema.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the API server accepts but a reviewer would question, over a ContentRollout's spec as written (the
 * YAML, so that a field left out is told from one set to its default). Pure. Each warning names the field
 * and says why.
 */
final class LintRules {

  /** Above this share of the fleet a first wave is no canary. */
  static final int CANARY_PERCENT = 10;

  private LintRules() {}

  static List<CrdSchema.Violation> warnings(Map<String, Object> spec) {
    List<CrdSchema.Violation> found = new ArrayList<>();
    Map<String, Object> strategy = map(spec.get("strategy"));
    List<Object> waves = list(strategy.get("waves"));
    for (int i = 0; i + 1 < waves.size(); i++) {
      Map<String, Object> wave = map(waves.get(i));
      Object bake = wave.get("bakeTime");
      if (bake == null || String.valueOf(bake).matches("^0+(ms|s|m|h)$")) {
        found.add(new CrdSchema.Violation("spec.strategy.waves[" + i + "].bakeTime", "wave " + wave.get("name")
            + " has no bake before wave " + map(waves.get(i + 1)).get("name") + ": a bad revision reaches the next"
            + " wave before its health can show"));
      }
    }
    boolean gated = hasGates(map(strategy.get("healthGates")))
        || waves.stream().anyMatch(w -> hasGates(map(map(w).get("healthGates"))));
    if (!gated) {
      found.add(new CrdSchema.Violation("spec.strategy.healthGates", "no health gates at all: nothing but a person"
          + " stops a revision that crashes nodes (set maxNodeReboots, maxCrashingPods, maxUnreadyNodes or metrics)"));
    }
    if (waves.size() > 1) {
      Map<String, Object> canary = map(waves.get(0));
      Object maxNodes = canary.get("maxNodes");
      if (maxNodes == null) {
        found.add(new CrdSchema.Violation("spec.strategy.waves[0].maxNodes", "the first wave, " + canary.get("name")
            + ", has no maxNodes: it takes every node of its pools; cap it at " + CANARY_PERCENT + "% or less"));
      } else if (percent(maxNodes) > CANARY_PERCENT) {
        found.add(new CrdSchema.Violation("spec.strategy.waves[0].maxNodes", "the first wave, " + canary.get("name")
            + ", takes " + maxNodes + " of the fleet: a canary larger than " + CANARY_PERCENT + "%"));
      }
    }
    for (MetricGate gate : metricGates(spec)) {
      // a gate that references a template has the template's noData unless it sets its own
      if (!gate.gate().containsKey("noData") && !gate.gate().containsKey("templateRef")) {
        found.add(new CrdSchema.Violation(gate.path() + ".noData", "metric " + gate.gate().get("name")
            + " does not say what no data means (noData: Fail, Ignore or Inconclusive; Inconclusive by default"
            + " halts the rollout when the query returns nothing)"));
      }
    }
    wholeWaveSkippable(strategy.get("maxUnavailableNodes"), "spec.strategy.maxUnavailableNodes", "every wave", found);
    for (int i = 0; i < waves.size(); i++) {
      Map<String, Object> wave = map(waves.get(i));
      wholeWaveSkippable(wave.get("maxUnavailableNodes"), "spec.strategy.waves[" + i + "].maxUnavailableNodes",
          "wave " + wave.get("name"), found);
    }
    return found;
  }

  private static boolean hasGates(Map<String, Object> gates) {
    return gates.containsKey("maxUnreadyNodes") || gates.containsKey("maxNodeReboots")
        || gates.containsKey("maxCrashingPods") || gates.containsKey("maxContentFailures")
        || !list(gates.get("metrics")).isEmpty();
  }

  /** A metric gate as written, with its path: {@code spec.strategy.healthGates.metrics[0]}. */
  record MetricGate(String path, Map<String, Object> gate) {}

  /** The metric gates of the strategy, then of each wave, as written. */
  static List<MetricGate> metricGates(Map<String, Object> spec) {
    Map<String, Object> strategy = map(spec.get("strategy"));
    List<MetricGate> gates = new ArrayList<>();
    addMetricGates(map(strategy.get("healthGates")), "spec.strategy.healthGates", gates);
    List<Object> waves = list(strategy.get("waves"));
    for (int i = 0; i < waves.size(); i++) {
      addMetricGates(map(map(waves.get(i)).get("healthGates")), "spec.strategy.waves[" + i + "].healthGates", gates);
    }
    return gates;
  }

  private static void addMetricGates(Map<String, Object> healthGates, String path, List<MetricGate> gates) {
    List<Object> metrics = list(healthGates.get("metrics"));
    for (int i = 0; i < metrics.size(); i++) {
      gates.add(new MetricGate(path + ".metrics[" + i + "]", map(metrics.get(i))));
    }
  }

  private static void wholeWaveSkippable(Object budget, String path, String which, List<CrdSchema.Violation> found) {
    if (budget != null && percent(budget) >= 100) {
      found.add(new CrdSchema.Violation(path, which + " may complete with every node unavailable ("
          + budget + "): a whole wave can be skipped unseen"));
    }
  }

  /** A count or percent's percent; a plain count is not a share, so it reads as 0. */
  private static int percent(Object amount) {
    String text = String.valueOf(amount);
    return text.endsWith("%") && text.substring(0, text.length() - 1).matches("[0-9]+")
        ? Integer.parseInt(text.substring(0, text.length() - 1)) : 0;
  }
}
