package io.wavegate.rollout;

import io.wavegate.analysis.MetricTemplates;
import io.wavegate.analysis.WebhookDef;
import io.wavegate.api.ContentMetricTemplate;
import io.wavegate.api.WaveWebhook;
import io.wavegate.api.MetricGate;
import io.wavegate.api.SecretRef;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.wavegate.contract.Durations;
import io.wavegate.api.HealthGates;
import io.wavegate.api.StrategySpec;
import io.wavegate.api.WaveApproval;
import io.wavegate.api.WaveSpec;
import io.wavegate.health.HealthLimits;
import io.wavegate.plan.CountOrPercent;
import io.wavegate.plan.WaveRules;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.function.Function;

/** Resolves the spec's waves: per-wave health gates over the rollout's defaults, and the defaults themselves. */
public final class WaveDefs {

  public static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(10);
  /** Some nodes are always down in a real fleet; a tenth of a wave may be skipped (and is served when back). */
  public static final IntOrString DEFAULT_MAX_UNAVAILABLE = new IntOrString("10%");

  private WaveDefs() {}

  /**
   * @param templates the cluster's ContentMetricTemplates by name, for the metric gates that reference one
   */
  public static List<WaveDef> from(StrategySpec strategy, Map<String, ContentMetricTemplate> templates) {
    HealthGates defaults = strategy.getHealthGates() == null ? new HealthGates() : strategy.getHealthGates();
    return strategy.getWaves().stream().map(wave -> {
      HealthGates own = wave.getHealthGates() == null ? new HealthGates() : wave.getHealthGates();
      HealthLimits limits = new HealthLimits(
          limit(own, defaults, HealthGates::getMaxUnreadyNodes),
          limit(own, defaults, HealthGates::getMaxNodeReboots),
          limit(own, defaults, HealthGates::getMaxCrashingPods),
          limit(own, defaults, HealthGates::getMaxContentFailures));
      String deadline = own.getProgressDeadline() != null ? own.getProgressDeadline() : defaults.getProgressDeadline();
      IntOrString unavailable = wave.getMaxUnavailableNodes() != null ? wave.getMaxUnavailableNodes()
          : strategy.getMaxUnavailableNodes() != null ? strategy.getMaxUnavailableNodes() : DEFAULT_MAX_UNAVAILABLE;
      List<MetricGate> metrics = own.getMetrics() != null ? own.getMetrics() : defaults.getMetrics();
      List<MetricTemplates.Resolution> resolved = metrics == null ? List.of()
          : metrics.stream().map(gate -> MetricTemplates.resolve(gate, templates)).toList();
      return new WaveDef(WaveRules.rule(wave), Durations.parse(wave.getBakeTime(), Duration.ZERO), limits,
          Durations.parse(deadline, DEFAULT_PROGRESS_DEADLINE), CountOrPercent.of(unavailable, 0),
          resolved.stream().flatMap(r -> r instanceof MetricTemplates.Resolved ok ? Stream.of(ok.def()) : Stream.empty())
              .toList(),
          wave.getApproval() == WaveApproval.Manual,
          wave.getWebhooks() == null ? List.of() : wave.getWebhooks().stream().map(WaveDefs::webhook).toList(),
          resolved.stream().flatMap(r -> r instanceof MetricTemplates.Unresolved no ? Stream.of(no.message())
              : Stream.empty()).toList());
    }).toList();
  }

  static WebhookDef webhook(WaveWebhook webhook) {
    SecretRef secret = webhook.getSecretRef();
    return new WebhookDef(webhook.getName(), webhook.getType(), webhook.getUrl(),
        Durations.parse(webhook.getTimeout(), Durations.parse(WaveWebhook.DEFAULT_TIMEOUT, null)),
        webhook.getRetries() == null ? WaveWebhook.DEFAULT_RETRIES : webhook.getRetries(),
        secret == null ? null : secret.getNamespace() + "/" + secret.getName());
  }

  private static CountOrPercent limit(HealthGates own, HealthGates defaults, Function<HealthGates, IntOrString> field) {
    IntOrString value = field.apply(own) != null ? field.apply(own) : field.apply(defaults);
    return CountOrPercent.of(value, 0);
  }

  /** The crashingPodSelector of strategy.healthGates; pods matching it on updated nodes are watched. */
  public static io.fabric8.kubernetes.api.model.LabelSelector crashingPodSelector(StrategySpec strategy) {
    return strategy.getHealthGates() == null ? null : strategy.getHealthGates().getCrashingPodSelector();
  }
}
