package io.wavegate.analysis;

import io.wavegate.api.ContentMetricTemplate;
import io.wavegate.api.MetricBaseline;
import io.wavegate.api.MetricCheck;
import io.wavegate.api.MetricGate;
import io.wavegate.api.MetricNoData;
import io.wavegate.api.MetricTemplateArgs;
import io.wavegate.api.MetricTemplateRef;
import io.wavegate.api.PrometheusProvider;
import io.wavegate.api.SecretRef;
import io.wavegate.contract.Durations;
import java.util.Map;
import java.util.function.Function;

/**
 * A metric gate of the spec resolved into what is measured (pure): a gate written inline as it is; a
 * gate with a templateRef from its ContentMetricTemplate, the arguments put into the query and the
 * gate's own fields over the template's (thresholds, min, max and baseline, as one set); the
 * documented defaults last. A template that is missing, an argument not given, or one given that the
 * template does not declare leaves the gate unresolved, with a reason a person can act on.
 */
public final class MetricTemplates {

  private MetricTemplates() {}

  /** A gate resolved, or why not. */
  public sealed interface Resolution permits Resolved, Unresolved {}

  public record Resolved(MetricDef def) implements Resolution {}

  public record Unresolved(String gate, String problem) implements Resolution {

    public String message() {
      return "metric gate " + gate + ": " + problem;
    }
  }

  /** @param templates the cluster's ContentMetricTemplates by name */
  public static Resolution resolve(MetricGate gate, Map<String, ContentMetricTemplate> templates) {
    MetricTemplateRef ref = gate.getTemplateRef();
    if (ref == null) {
      if (incomplete(gate)) {
        return new Unresolved(gate.getName(), "it has neither a templateRef nor a provider and a query");
      }
      return arguments(gate, gate, Map.of(), null);
    }
    ContentMetricTemplate template = templates.get(ref.getName());
    if (template == null || template.getSpec() == null) {
      return new Unresolved(gate.getName(), "ContentMetricTemplate " + ref.getName() + " not found (kubectl get"
          + " contentmetrictemplates)");
    }
    MetricTemplateArgs.Values values = MetricTemplateArgs.resolve(ref.getName(), template.getSpec().getArgs(),
        ref.getArgs());
    if (!values.resolved()) {
      return new Unresolved(gate.getName(), values.problem());
    }
    MetricCheck spec = template.getSpec();
    if (incomplete(spec)) {
      return new Unresolved(gate.getName(), "ContentMetricTemplate " + ref.getName() + " has no provider or no query");
    }
    return arguments(gate, overlay(gate, spec), values.values(),
        new MetricDef.Template(ref.getName(), template.getMetadata().getGeneration() == null ? 0
            : template.getMetadata().getGeneration()));
  }

  /** No Prometheus or no query to measure with: only an object the CRD's rules did not check gets here. */
  private static boolean incomplete(MetricCheck check) {
    return check.getProvider() == null || check.getProvider().getPrometheus() == null || check.getQuery() == null;
  }

  private static Resolution arguments(MetricGate gate, MetricCheck check, Map<String, String> values,
      MetricDef.Template template) {
    try {
      String query = MetricTemplateArgs.fill(check.getQuery(), values);
      return new Resolved(def(gate.getName(), check, query, template));
    } catch (IllegalArgumentException e) {
      return new Unresolved(gate.getName(), (template == null ? "" : "ContentMetricTemplate " + template.name() + ": ")
          + e.getMessage());
    }
  }

  /** The template with the gate's own fields over it: interval, limits, noData each; min, max and baseline as one set. */
  static MetricCheck overlay(MetricCheck gate, MetricCheck template) {
    MetricCheck merged = new MetricCheck();
    merged.setProvider(template.getProvider());
    merged.setQuery(template.getQuery());
    merged.setInterval(either(gate, template, MetricCheck::getInterval));
    merged.setFailureLimit(either(gate, template, MetricCheck::getFailureLimit));
    merged.setConsecutiveErrorLimit(either(gate, template, MetricCheck::getConsecutiveErrorLimit));
    merged.setNoData(either(gate, template, MetricCheck::getNoData));
    boolean ownThresholds = gate.getMin() != null || gate.getMax() != null || gate.getBaseline() != null;
    MetricCheck thresholds = ownThresholds ? gate : template;
    merged.setMin(thresholds.getMin());
    merged.setMax(thresholds.getMax());
    merged.setBaseline(thresholds.getBaseline());
    return merged;
  }

  private static <T> T either(MetricCheck gate, MetricCheck template, Function<MetricCheck, T> field) {
    return field.apply(gate) != null ? field.apply(gate) : field.apply(template);
  }

  private static MetricDef def(String name, MetricCheck check, String query, MetricDef.Template template) {
    PrometheusProvider prometheus = check.getProvider().getPrometheus();
    MetricBaseline baseline = check.getBaseline();
    MetricNoData noData = check.getNoData() == null ? MetricCheck.DEFAULT_NO_DATA : check.getNoData();
    MetricJudge.Limits limits = new MetricJudge.Limits(check.getMin(), check.getMax(),
        MetricJudge.NoData.valueOf(noData.name()),
        baseline == null ? null : baseline.getMaxRatio(), baseline == null ? null : baseline.getMaxMargin());
    SecretRef auth = prometheus.getAuthSecretRef();
    return new MetricDef(name, prometheus.getAddress(), query,
        Durations.parse(check.getInterval(), Durations.parse(MetricCheck.DEFAULT_INTERVAL, null)), limits,
        check.getFailureLimit() == null ? MetricCheck.DEFAULT_FAILURE_LIMIT : check.getFailureLimit(),
        check.getConsecutiveErrorLimit() == null ? MetricCheck.DEFAULT_CONSECUTIVE_ERROR_LIMIT
            : check.getConsecutiveErrorLimit(),
        auth == null ? null : auth.getNamespace() + "/" + auth.getName(),
        Boolean.TRUE.equals(prometheus.getInsecureSkipVerify()),
        Durations.parse(prometheus.getTimeout(), Durations.parse(PrometheusProvider.DEFAULT_TIMEOUT, null)), template);
  }
}
