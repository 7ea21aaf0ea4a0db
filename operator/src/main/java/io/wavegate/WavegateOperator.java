package io.wavegate;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.wavegate.config.OperatorConfig;
import io.wavegate.analysis.MetricMeasurer;
import io.wavegate.analysis.WebhookCaller;
import io.wavegate.delivery.NodeWriter;
import io.wavegate.delivery.RevocationWriter;
import io.wavegate.delivery.SnapshotStore;
import io.wavegate.metrics.RolloutMetrics;
import io.wavegate.rollout.ContentRolloutReconciler;
import io.wavegate.rollout.EventRecorder;
import io.wavegate.contract.oci.OciRegistryClient;
import io.wavegate.validation.GateRunner;
import io.wavegate.validation.SourceReader;
import io.wavegate.validation.TrustedKeys;
import io.wavegate.validation.ValidatorJobs;
import java.time.Clock;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the operator: JOSDK with its metrics and leader election, and the ContentRollout reconciler. */
public final class WavegateOperator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WavegateOperator.class);
  /** Metric gate queries running at once, across rollouts; each has its own timeout. */
  private static final int METRIC_GATE_CONCURRENCY = 4;
  private static final int WEBHOOK_CONCURRENCY = 4;
  /** How long the gate waits for a registry to answer (a blob then streams as long as it flows). */
  private static final java.time.Duration OCI_TIMEOUT = java.time.Duration.ofSeconds(30);

  private final Operator operator;
  private final MetricMeasurer measurer;
  private final WebhookCaller webhooks;
  private final NodeWriter nodeWriter;
  private volatile boolean closing;

  public WavegateOperator(KubernetesClient client, OperatorConfig config, MeterRegistry registry) {
    // 1 while this replica leads (always, without leader election): the alert on no leader reads it
    java.util.concurrent.atomic.AtomicInteger leading = new java.util.concurrent.atomic.AtomicInteger(
        config.leaderElection() ? 0 : 1);
    io.micrometer.core.instrument.Gauge.builder("wavegate_leader", leading, java.util.concurrent.atomic.AtomicInteger::get)
        .description("1 while this operator replica holds the leader Lease and reconciles").register(registry);
    this.nodeWriter = new NodeWriter(client, config.nodeWriteConcurrency(), config.nodeWriteBatch());
    this.operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build());
      if (config.leaderElection()) {
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(config.leaseName(), config.namespace(),
            LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
            LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, null,
            new LeaderCallbacks(() -> {
              leading.set(1);
              LOG.info("leading: this replica reconciles");
            }, () -> {
              leading.set(0);
              lostLeadership();
            },
                leader -> LOG.info("leader is {}", leader)),
            false));
      }
    });
    // the operator's own snapshots are a source too: only it writes them, and only bytes its gate checked
    // (kubectl wavegate undo rolls an earlier revision out again from its snapshot)
    java.util.Set<String> readable = new java.util.HashSet<>(config.sourceNamespaces());
    readable.add(config.snapshotNamespace());
    SourceReader reader = new SourceReader(client, config.namespace(), java.util.Set.copyOf(readable));
    RolloutMetrics rolloutMetrics = new RolloutMetrics(registry,
        java.util.Arrays.stream(io.wavegate.health.Signal.values()).map(Enum::name).toList(),
        java.util.Arrays.stream(io.wavegate.validation.RejectReason.values()).map(Enum::name).toList());
    measurer = new MetricMeasurer(client, rolloutMetrics::metricMeasured, Clock.systemUTC(), METRIC_GATE_CONCURRENCY);
    webhooks = new WebhookCaller(client, Clock.systemUTC(), WEBHOOK_CONCURRENCY);
    operator.register(new ContentRolloutReconciler(client, new GateRunner(reader,
        new TrustedKeys(client, config.namespace(), config.trustedKeysConfigMap()), config.requireSignatures(),
        new OciRegistryClient(config.ociInsecureRegistries(), OCI_TIMEOUT), config.gateDir(), config.agentImage() != null),
        new SnapshotStore(client, config.snapshotNamespace(), config.snapshotHistory()),
        new ValidatorJobs(client, config.validatorNamespace(), config.validatorServiceAccount(),
            config.agentImage(), config.ociInsecureRegistries()), nodeWriter, new RevocationWriter(client),
        new EventRecorder(client, Clock.systemUTC()), rolloutMetrics,
        measurer, webhooks, Clock.systemUTC(),
        config.podLabelSelector()));
  }

  /**
   * A replica that loses the Lease must stop writing at once (another one now leads), so it exits
   * and is restarted as a standby. Not during our own shutdown, where exiting from the shutdown
   * path would deadlock.
   */
  private void lostLeadership() {
    if (!closing) {
      LOG.error("lost the leader Lease; exiting so that only the new leader writes");
      new Thread(() -> System.exit(1), "wavegate-exit").start();
    }
  }

  public WavegateOperator start() {
    operator.start();
    return this;
  }

  public boolean started() {
    return operator.getRuntimeInfo().isStarted();
  }

  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    operator.stop();
    nodeWriter.close();
    measurer.close();
    webhooks.close();
  }
}
