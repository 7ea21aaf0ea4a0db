package io.wavegate;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wavegate.config.OperatorConfig;
import io.wavegate.metrics.OperationsServer;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** `java -jar wavegate.jar operator`: runs the operator against the current kubeconfig or in-cluster config. */
final class OperatorMain {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  static void run() throws Exception {
    OperatorConfig config = OperatorConfig.fromEnvironment(System.getenv());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    io.wavegate.metrics.ProcessMeters.bind(registry);
    KubernetesClient client = new KubernetesClientBuilder().build();
    LOG.info("wavegate operator: namespace {}, sources {}, leader election {}, API server {}", config.namespace(),
        config.sourceNamespaces(), config.leaderElection(), client.getMasterUrl());
    WavegateOperator operator = new WavegateOperator(client, config, registry);
    OperationsServer http = new OperationsServer(config.metricsPort(), registry, operator::started);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.close();
      http.close();
      client.close();
      stopped.countDown();
    }));
    try {
      operator.start();
    } catch (RuntimeException e) {
      // Exit rather than linger unready: Kubernetes restarts the pod with back-off, which retries.
      LOG.error("wavegate operator could not start: {}", e.getMessage(), e);
      System.exit(1);
    }
    LOG.info("wavegate operator started; /metrics, /healthz and /readyz on port {}", http.port());
    stopped.await();
  }
}
