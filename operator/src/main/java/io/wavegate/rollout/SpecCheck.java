package io.wavegate.rollout;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ContentSource;
import io.wavegate.api.OciSource;
import io.wavegate.contract.ContentFileNames;
import io.wavegate.contract.Durations;
import io.wavegate.api.HealthGates;
import io.wavegate.api.StrategySpec;
import io.wavegate.api.WaveSpec;
import io.wavegate.plan.CountOrPercent;
import io.wavegate.plan.LabelSelectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a spec can be evaluated at all. The CRD refuses all of this at admission, but objects
 * stored before a stricter CRD was installed (or written around it) still reach the operator; such a
 * rollout is stalled with this message, and no other rollout notices. Pure.
 */
public final class SpecCheck {

  private SpecCheck() {}

  public static Optional<String> problem(ContentRolloutSpec spec) {
    if (spec == null || spec.getContent() == null || spec.getContent().getSha256() == null
        || spec.getContent().getSource() == null) {
      return Optional.of("spec.content with sha256 and source is required");
    }
    if (!spec.getContent().getSha256().matches("^[0-9a-f]{64}$")) {
      return Optional.of("spec.content.sha256 is not 64 lowercase hex characters");
    }
    ContentSource source = spec.getContent().getSource();
    if (source.getConfigMapRef() == null && source.getSecretRef() == null && source.getOci() == null) {
      return Optional.of("spec.content.source needs configMapRef, secretRef or oci");
    }
    if (source.getOci() != null && (source.getOci().getReference() == null
        || !source.getOci().getReference().matches(OciSource.REFERENCE_PATTERN))) {
      return Optional.of("spec.content.source.oci.reference must be pinned by manifest digest:"
          + " registry/repository@sha256:<64 hex>");
    }
    if (fileName(spec) == null) {
      return Optional.of("spec.content.fileName is required when oci.file does not name the file");
    }
    Optional<String> badName = ContentFileNames.problem(fileName(spec));
    if (badName.isPresent()) {
      return Optional.of("spec.content.fileName (default: the source key): " + badName.get());
    }
    StrategySpec strategy = spec.getStrategy();
    if (strategy == null || strategy.getWaves() == null || strategy.getWaves().isEmpty()) {
      return Optional.of("spec.strategy.waves needs at least one wave");
    }
    List<String> problems = new ArrayList<>();
    selector("spec.nodeSelector", spec.getNodeSelector(), problems);
    gates("spec.strategy.healthGates", strategy.getHealthGates(), problems);
    countOrPercent("spec.strategy.maxUnavailableNodes", strategy.getMaxUnavailableNodes(), problems);
    for (int i = 0; i < strategy.getWaves().size(); i++) {
      WaveSpec wave = strategy.getWaves().get(i);
      String at = "spec.strategy.waves[" + i + "]";
      if (wave == null || wave.getName() == null) {
        problems.add(at + " has no name");
        continue;
      }
      selector(at + ".nodeSelector", wave.getNodeSelector(), problems);
      countOrPercent(at + ".maxNodes", wave.getMaxNodes(), problems);
      countOrPercent(at + ".maxUnavailableNodes", wave.getMaxUnavailableNodes(), problems);
      duration(at + ".bakeTime", wave.getBakeTime(), problems);
      gates(at + ".healthGates", wave.getHealthGates(), problems);
    }
    return problems.stream().findFirst();
  }

  /** The file name on nodes: spec.content.fileName, else the source key (an OCI layer's title); null when neither. */
  public static String fileName(ContentRolloutSpec spec) {
    if (spec.getContent().getFileName() != null) {
      return spec.getContent().getFileName();
    }
    ContentSource source = spec.getContent().getSource();
    if (source.getConfigMapRef() != null) {
      return source.getConfigMapRef().getKey();
    }
    return source.getSecretRef() != null ? source.getSecretRef().getKey() : source.getOci().getFile();
  }

  private static void gates(String at, HealthGates gates, List<String> problems) {
    if (gates == null) {
      return;
    }
    selector(at + ".crashingPodSelector", gates.getCrashingPodSelector(), problems);
    countOrPercent(at + ".maxUnreadyNodes", gates.getMaxUnreadyNodes(), problems);
    countOrPercent(at + ".maxNodeReboots", gates.getMaxNodeReboots(), problems);
    countOrPercent(at + ".maxCrashingPods", gates.getMaxCrashingPods(), problems);
    countOrPercent(at + ".maxContentFailures", gates.getMaxContentFailures(), problems);
    duration(at + ".progressDeadline", gates.getProgressDeadline(), problems);
  }

  private static void selector(String at, LabelSelector selector, List<String> problems) {
    LabelSelectors.problem(selector).ifPresent(p -> problems.add(at + ": " + p));
  }

  private static void countOrPercent(String at, IntOrString value, List<String> problems) {
    try {
      CountOrPercent parsed = CountOrPercent.of(value, 0);
      if (parsed.count() < 0 || (parsed.percent() != null && (parsed.percent() < 0 || parsed.percent() > 100))) {
        problems.add(at + ": " + value.getValue() + " is not a count >= 0 or a percent from 0% to 100%");
      }
    } catch (RuntimeException e) {
      problems.add(at + ": " + (value == null ? null : value.getValue()) + " is not a count or a percent");
    }
  }

  private static void duration(String at, String value, List<String> problems) {
    try {
      Durations.parse(value, null);
    } catch (RuntimeException e) {
      problems.add(at + ": " + value + " is not a duration such as 30s, 10m or 1h30m");
    }
  }
}
