package io.wavegate.e2e.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Skips a Testcontainers suite, saying why, where there is no Docker engine or the wavegate image
 * (system property wavegate.image) is not in it. Skipped, never failed: CI without Docker stays green.
 */
public final class RequiresDockerImage implements ExecutionCondition {

  public static final String IMAGE = System.getProperty("wavegate.image", "ghcr.io/wavegate/wavegate:0.1.0");
  public static final String AGENT_IMAGE = System.getProperty("wavegate.agent.image",
      "ghcr.io/wavegate/wavegate-agent:0.1.0");

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      return skip("no Docker engine on this host: the k3s end-to-end suite runs where Docker does (scripts/k3s-e2e.sh)");
    }
    for (String image : java.util.List.of(IMAGE, AGENT_IMAGE)) {
      if (DockerClientFactory.instance().client().listImagesCmd().withReferenceFilter(image).exec().isEmpty()) {
        return skip("image " + image + " is not in the local Docker engine: scripts/k3s-e2e.sh builds it, then runs this suite");
      }
    }
    return ConditionEvaluationResult.enabled("Docker, " + IMAGE + " and " + AGENT_IMAGE + " are here");
  }

  private static ConditionEvaluationResult skip(String reason) {
    System.err.println("[skipped] " + reason);
    return ConditionEvaluationResult.disabled(reason);
  }
}
