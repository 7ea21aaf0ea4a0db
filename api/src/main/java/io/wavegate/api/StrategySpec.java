package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

public class StrategySpec {

  public static final String DEFAULT_POOL_LABEL = "wavegate.io/pool";
  public static final String DEFAULT_CONFIRM_AFTER = "5m";
  /** The pull cap of a rollout from an OCI registry that names none. */
  public static final int DEFAULT_OCI_PULLS = 200;

  @Default(DEFAULT_POOL_LABEL)
  @Size(min = 1, max = 316)
  @JsonPropertyDescription("Node label whose value names the node's pool. Default wavegate.io/pool.")
  private String poolLabel = DEFAULT_POOL_LABEL;

  @Required
  @Size(min = 1, max = 16)
  @ValidationRule(value = "self.all(w, self.filter(x, x.name == w.name).size() == 1)",
      message = "wave names must be unique")
  @JsonPropertyDescription("Waves in order; the first is the canary. At least one.")
  private List<WaveSpec> waves = new ArrayList<>();

  @JsonPropertyDescription("Health gate defaults for every wave, evaluated over all nodes updated so far.")
  private HealthGates healthGates;

  @ValidationRule(value = SchemaRules.COUNT_OR_PERCENT,
      message = "maxUnavailableNodes " + SchemaRules.COUNT_OR_PERCENT_MESSAGE)
  @JsonPropertyDescription("Default for every wave: how many of a wave's nodes may be not Ready when it starts"
      + " (a count, or a percent of the wave's nodes rounded up). They are skipped, not awaited and never blamed,"
      + " and get the revision when Ready again; past the budget the wave waits. Default 10%.")
  private IntOrString maxUnavailableNodes;

  @Default(DEFAULT_CONFIRM_AFTER)
  @Size(max = 32)
  @ValidationRule(value = SchemaRules.DURATION, message = "confirmAfter " + SchemaRules.DURATION_MESSAGE)
  @JsonPropertyDescription("How long a node must stay up with a new revision before its agent confirms it. Until"
      + " then a reboot makes the agent restore the previous file before anything loads it (RevertedAfterReboot);"
      + " a return to the stable revision is confirmed at once. 0s turns this off. Default 5m.")
  private String confirmAfter = DEFAULT_CONFIRM_AFTER;

  @Min(1)
  @JsonPropertyDescription("The most nodes fetching the new revision at once (assigned it, not yet reported on it);"
      + " the other nodes of started waves get it as those report, so a broad wave never sends every node to the"
      + " source together. Rollbacks are never held. Default: " + DEFAULT_OCI_PULLS + " for an oci source (the"
      + " registry's load), no cap for a ConfigMap or Secret.")
  private Integer maxConcurrentPulls;

  @Default("Automatic")
  @JsonPropertyDescription("Automatic reverts touched nodes on a breach; Manual halts and waits.")
  private RollbackPolicy rollback = RollbackPolicy.Automatic;

  public Integer getMaxConcurrentPulls() { return maxConcurrentPulls; }
  public void setMaxConcurrentPulls(Integer maxConcurrentPulls) { this.maxConcurrentPulls = maxConcurrentPulls; }
  /** The pool label, or its default for a spec read without the API server's defaulting. */
  public String poolLabelOrDefault() {
    return poolLabel == null ? DEFAULT_POOL_LABEL : poolLabel;
  }

  /** The metric gates of the strategy and of each wave, as written: where templateRefs are looked for. */
  public List<MetricGate> allMetricGates() {
    List<MetricGate> gates = new ArrayList<>();
    if (healthGates != null && healthGates.getMetrics() != null) {
      gates.addAll(healthGates.getMetrics());
    }
    if (waves != null) {
      waves.stream().filter(w -> w.getHealthGates() != null && w.getHealthGates().getMetrics() != null)
          .forEach(w -> gates.addAll(w.getHealthGates().getMetrics()));
    }
    return gates;
  }

  /** The names of the ContentMetricTemplates the strategy's metric gates and its waves' reference. */
  public Set<String> metricTemplatesReferenced() {
    Set<String> names = new TreeSet<>();
    allMetricGates().stream().filter(g -> g.getTemplateRef() != null).forEach(g -> names.add(g.getTemplateRef().getName()));
    return names;
  }

  public String getPoolLabel() { return poolLabel; }
  public void setPoolLabel(String poolLabel) { this.poolLabel = poolLabel; }
  public List<WaveSpec> getWaves() { return waves; }
  public void setWaves(List<WaveSpec> waves) { this.waves = waves; }
  public HealthGates getHealthGates() { return healthGates; }
  public void setHealthGates(HealthGates healthGates) { this.healthGates = healthGates; }
  public IntOrString getMaxUnavailableNodes() { return maxUnavailableNodes; }
  public void setMaxUnavailableNodes(IntOrString maxUnavailableNodes) { this.maxUnavailableNodes = maxUnavailableNodes; }
  public String getConfirmAfter() { return confirmAfter; }
  public void setConfirmAfter(String confirmAfter) { this.confirmAfter = confirmAfter; }
  public RollbackPolicy getRollback() { return rollback; }
  public void setRollback(RollbackPolicy rollback) { this.rollback = rollback; }
}
