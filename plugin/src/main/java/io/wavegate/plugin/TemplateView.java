package io.wavegate.plugin;

import io.wavegate.api.ContentMetricTemplate;
import io.wavegate.api.ContentMetricTemplateSpec;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.MetricArg;
import io.wavegate.api.MetricGate;
import io.wavegate.api.MetricStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * {@code kubectl wavegate templates}: every metric template with its generation, arguments, check, and the
 * rollouts whose gates reference it with the generation each last measured: what an edit would reach.
 * Pure: the templates and the rollouts in, the table out.
 */
public final class TemplateView {

  private TemplateView() {}

  public static String render(List<ContentMetricTemplate> templates, List<ContentRollout> rollouts) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("NAME", "GEN", "ARGS", "INTERVAL", "THRESHOLDS", "NODATA", "USED BY"));
    for (ContentMetricTemplate template : templates.stream()
        .sorted(Comparator.comparing((ContentMetricTemplate t) -> t.getMetadata().getName())).toList()) {
      ContentMetricTemplateSpec spec = template.getSpec();
      rows.add(List.of(template.getMetadata().getName(), WavegateCli.dash(template.getMetadata().getGeneration()),
          args(spec.getArgs()), WavegateCli.dash(spec.getInterval()), thresholds(spec), WavegateCli.dash(spec.getNoData()),
          usedBy(template.getMetadata().getName(), rollouts)));
    }
    // columns as wide as their widest cell, as kubectl prints a table
    int[] widths = new int[rows.get(0).size()];
    rows.forEach(row -> {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    });
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i + 1 == row.size() ? row.get(i) : String.format("%-" + (widths[i] + 2) + "s", row.get(i)));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  private static String args(List<MetricArg> args) {
    if (args == null || args.isEmpty()) {
      return "-";
    }
    return String.join(",", args.stream().map(a -> a.getName() + (a.getValue() == null ? "" : "=" + a.getValue()))
        .toList());
  }

  private static String thresholds(ContentMetricTemplateSpec spec) {
    List<String> parts = new ArrayList<>();
    if (spec.getMin() != null) {
      parts.add("min " + RolloutView.format(spec.getMin()));
    }
    if (spec.getMax() != null) {
      parts.add("max " + RolloutView.format(spec.getMax()));
    }
    if (spec.getBaseline() != null) {
      parts.add("baseline");
    }
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }

  /** Each gate that references the template: {@code rollout/gate}, with the generation its last measurement used. */
  private static String usedBy(String template, List<ContentRollout> rollouts) {
    java.util.Map<String, String> uses = new java.util.LinkedHashMap<>();
    for (ContentRollout rollout : rollouts.stream()
        .sorted(Comparator.comparing((ContentRollout r) -> r.getMetadata().getName())).toList()) {
      if (rollout.getSpec() == null || rollout.getSpec().getStrategy() == null) {
        continue;
      }
      for (MetricGate gate : rollout.getSpec().getStrategy().allMetricGates()) {
        if (gate.getTemplateRef() != null && template.equals(gate.getTemplateRef().getName())) {
          // a wave's list may repeat the strategy's gate by name: one gate, one status record
          uses.putIfAbsent(rollout.getMetadata().getName() + "/" + gate.getName(),
              measured(rollout, gate.getName(), template));
        }
      }
    }
    return uses.isEmpty() ? "-" : String.join(", ", uses.entrySet().stream().map(e -> e.getKey() + e.getValue())
        .toList());
  }

  private static String measured(ContentRollout rollout, String gate, String template) {
    if (rollout.getStatus() == null || rollout.getStatus().getHealth() == null
        || rollout.getStatus().getHealth().getMetrics() == null) {
      return "";
    }
    return rollout.getStatus().getHealth().getMetrics().stream()
        .filter(m -> gate.equals(m.getName()) && template.equals(m.getTemplate()))
        .map(MetricStatus::getTemplateGeneration).filter(Objects::nonNull)
        .map(g -> " (measured gen " + g + ")").findFirst().orElse("");
  }
}
