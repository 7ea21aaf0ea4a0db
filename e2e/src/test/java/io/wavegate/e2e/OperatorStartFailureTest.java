package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegate.e2e.support.ApiServer;
import io.wavegate.sim.JarProcess;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An operator that cannot start (here: its CRD was never installed, as after `helm install
 * --skip-crds`) exits with status 1 instead of lingering unready, so that Kubernetes restarts it
 * with back-off and the pod shows CrashLoopBackOff.
 */
class OperatorStartFailureTest {

  @RegisterExtension
  static final ApiServer api = new ApiServer();

  @Test
  void withoutItsCrdTheOperatorExitsWithStatusOne() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(JarProcess.Jar.OPERATOR.built(), JarProcess.Jar.OPERATOR.missing());
    Process operator = JarProcess.start(api.kubeconfigYaml(), List.of(), JarProcess.Jar.OPERATOR, List.of("operator"),
        Map.of("WAVEGATE_METRICS_PORT", "0", "WAVEGATE_LEADER_ELECTION", "false"));
    try {
      assertThat(operator.waitFor(90, TimeUnit.SECONDS)).as("the operator exits").isTrue();
      assertThat(operator.exitValue()).isEqualTo(1);
    } finally {
      operator.destroyForcibly();
    }
  }
}
