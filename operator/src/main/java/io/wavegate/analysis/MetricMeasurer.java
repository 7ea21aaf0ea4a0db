package io.wavegate.analysis;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Takes the measurements decisions ask for, off the reconcile thread: a slow or absent Prometheus
 * never delays the health gates that come from informers. A completed reading waits here until the
 * rollout's next reconcile takes it (and a reconcile is asked for at once); a reading lost to a
 * restart is simply taken again at the next interval. One measurement per gate at a time.
 */
public final class MetricMeasurer implements AutoCloseable {

  private final KubernetesClient client;
  private final Measured measured;

  /** Told of each measurement (rollout, metric, outcome): the operator counts them in its metrics. */
  @FunctionalInterface
  public interface Measured {
    void measured(String rollout, String metric, String outcome);
  }
  private final Clock clock;
  private final RolloutJobs<MetricReading> jobs;
  private final PrometheusQuery verified;
  private final PrometheusQuery unverified;

  public MetricMeasurer(KubernetesClient client, Measured measured, Clock clock, int concurrency) {
    this.client = client;
    this.measured = measured;
    this.clock = clock;
    this.jobs = new RolloutJobs<>("wavegate-metric-gates", concurrency);
    this.verified = new PrometheusQuery(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    this.unverified = new PrometheusQuery(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .sslContext(trustingEverything()).build());
  }

  /** Called with the rollout's name when one of its readings is ready (the reconciler asks for a reconcile). */
  public void onReading(Consumer<String> listener) {
    jobs.onDone(listener);
  }

  /** Starts the measurements the decision asks for, skipping a gate whose last measurement is still running. */
  public void start(String rollout, MetricRequest request) {
    for (MetricDef def : request.due()) {
      jobs.submit(rollout, rollout + "/" + def.name(), () -> {
        MetricReading reading = measure(def, request);
        measured.measured(rollout, def.name(), reading.verdict().outcome().name());
        return reading;
      });
    }
  }

  /** The readings completed since the last call, for the rollout's next decision. */
  public List<MetricReading> take(String rollout) {
    return jobs.take(rollout);
  }

  private MetricReading measure(MetricDef def, MetricRequest request) {
    MetricJudge.Verdict verdict;
    try {
      PrometheusQuery.Credentials credentials = SecretCredentials.read(client, def.credentials(), "authSecretRef");
      PrometheusQuery prometheus = def.insecureSkipVerify() ? unverified : verified;
      Measurement updated = prometheus.run(def.address(), QueryTemplate.render(def.query(), request.variables()),
          credentials, def.timeout());
      Optional<Measurement> baseline = Optional.empty();
      if (def.hasBaseline() && updated.error().isEmpty() && !updated.noData()) {
        QueryTemplate.Variables stable = new QueryTemplate.Variables(request.stableNodes(), request.stableNodes(),
            request.variables().channel(), request.variables().revision(), request.variables().wave());
        baseline = Optional.of(prometheus.run(def.address(), QueryTemplate.render(def.query(), stable), credentials,
            def.timeout()));
      }
      verdict = MetricJudge.judge(def.limits(), updated, baseline);
    } catch (SecretCredentials.Unreadable | IllegalArgumentException e) {
      verdict = new MetricJudge.Verdict(MetricJudge.Outcome.Error, null, e.getMessage());
    }
    return new MetricReading(def.name(), request.revision(), clock.instant(), verdict, request.variables().nodes()
        .stream().toList(), def.template());
  }

  private static SSLContext trustingEverything() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) { }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) { }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, new SecureRandom());
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("TLS is part of every JDK", e);
    }
  }

  @Override
  public void close() {
    jobs.close();
  }
}
