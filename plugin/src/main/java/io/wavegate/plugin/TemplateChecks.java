package io.wavegate.plugin;

import static io.wavegate.plugin.CrdSchema.list;
import static io.wavegate.plugin.CrdSchema.map;

import io.wavegate.api.MetricArg;
import io.wavegate.api.MetricTemplateArgs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the operator would stall on about metric templates, checked offline where the files hold the
 * templates (pure, over the YAML as written): a template whose query uses an argument it does not declare,
 * and a rollout's gate that leaves out an argument of a template in the files, or gives one it does not
 * declare. A template not in the files is the cluster's to say.
 */
final class TemplateChecks {

  private TemplateChecks() {}

  /** A ContentMetricTemplate's own problems. */
  static List<CrdSchema.Violation> template(Map<String, Object> spec) {
    Map<String, String> declared = new LinkedHashMap<>();
    args(spec.get("args")).forEach(a -> declared.put(a.getName(), "x"));
    try {
      MetricTemplateArgs.fill(String.valueOf(spec.get("query")), declared);
      return List.of();
    } catch (IllegalArgumentException e) {
      return List.of(new CrdSchema.Violation("spec.query", e.getMessage()));
    }
  }

  /**
   * The problems of a rollout's gates that reference one of these templates.
   *
   * @param templates the specs of the ContentMetricTemplates in the files, by name
   */
  static List<CrdSchema.Violation> references(Map<String, Object> spec, Map<String, Map<String, Object>> templates) {
    List<CrdSchema.Violation> found = new ArrayList<>();
    for (LintRules.MetricGate gate : LintRules.metricGates(spec)) {
      Map<String, Object> ref = map(gate.gate().get("templateRef"));
      Map<String, Object> template = templates.get(String.valueOf(ref.get("name")));
      if (template == null) {
        continue;
      }
      MetricTemplateArgs.Values values = MetricTemplateArgs.resolve(String.valueOf(ref.get("name")),
          args(template.get("args")), args(ref.get("args")));
      if (!values.resolved()) {
        found.add(new CrdSchema.Violation(gate.path() + ".templateRef", values.problem()));
      }
    }
    return found;
  }

  private static List<MetricArg> args(Object list) {
    return list(list).stream().map(CrdSchema::map).map(a -> new MetricArg(String.valueOf(a.get("name")),
        a.get("value") == null ? null : String.valueOf(a.get("value")))).toList();
  }
}
