package io.wavegate;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wavegate.config.OperatorConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** `java -jar wavegate.jar operator`: runs the operator against the current kubeconfig or in-cluster config. */
final class OperatorMain {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  static void run() throws IOException, InterruptedException {
    OperatorConfig config = OperatorConfig.fromEnvironment(System.getenv());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KubernetesClient client = new KubernetesClientBuilder().build();
    LOG.info("wavegate operator: namespace {}, sources {}, leader election {}, API server {}", config.namespace(),
        config.sourceNamespaces(), config.leaderElection(), client.getMasterUrl());
    WavegateOperator operator = new WavegateOperator(client, config, registry);
    HttpServer http = HttpServer.create(new InetSocketAddress(config.metricsPort()), 0);
    http.createContext("/metrics", exchange -> respond(exchange, 200, registry::scrape));
    http.createContext("/healthz", exchange -> respond(exchange, 200, () -> "ok\n"));
    http.createContext("/readyz", exchange -> {
      boolean ready = operator.started();
      respond(exchange, ready ? 200 : 503, () -> ready ? "ok\n" : "starting\n");
    });
    http.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.close();
      http.stop(0);
      client.close();
      stopped.countDown();
    }));
    operator.start();
    LOG.info("wavegate operator started; metrics, /healthz and /readyz on port {}", config.metricsPort());
    stopped.await();
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, int code, Supplier<String> body)
      throws IOException {
    byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
