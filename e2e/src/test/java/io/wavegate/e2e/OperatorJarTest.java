package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.sim.JarProcess;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged jar as a user runs it ({@code java -jar wavegate.jar operator} with a kubeconfig):
 * it takes the leader Lease and serves /healthz, /readyz and /metrics over HTTP.
 */
class OperatorJarTest {

  @RegisterExtension
  static final ApiServer api = new ApiServer();

  private Process operator;

  @AfterEach
  void stop() throws Exception {
    if (operator != null) {
      operator.destroy();
      operator.waitFor();
    }
  }

  @Test
  void theJarRunsTheOperatorWithLeaderElectionAndOperationsEndpoints() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(JarProcess.Jar.OPERATOR.built(), JarProcess.Jar.OPERATOR.missing());
    api.installCrd();
    api.client().resource(new NamespaceBuilder().withNewMetadata().withName("wavegate-system").endMetadata().build())
        .serverSideApply();
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    operator = JarProcess.start(api.kubeconfigYaml(), List.of(), JarProcess.Jar.OPERATOR, List.of("operator"), Map.of("WAVEGATE_METRICS_PORT", Integer.toString(port)));

    HttpClient http = HttpClient.newHttpClient();
    URI readyz = URI.create("http://127.0.0.1:" + port + "/readyz");
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
        http.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

    Lease lease = await().atMost(Duration.ofSeconds(30)).until(() -> api.client().leases()
        .inNamespace("wavegate-system").withName("wavegate-operator").get(), l -> l != null
        && l.getSpec().getHolderIdentity() != null);
    assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("wavegate_rollouts{phase=\"Succeeded\"}")
        .contains("wavegate_build_info{java_version=\"" + System.getProperty("java.version") + "\",version=\"0.1.0-SNAPSHOT\"} 1")
        .contains("jvm_memory_used_bytes{", "jvm_gc_max_data_size_bytes", "jvm_threads_live_threads", "process_cpu_usage",
            "process_uptime_seconds");
    assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    assertThat(operator.isAlive()).isTrue();
  }
}
