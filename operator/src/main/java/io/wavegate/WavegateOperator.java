package io.wavegate;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.wavegate.config.OperatorConfig;
import io.wavegate.delivery.NodeWriter;
import io.wavegate.delivery.SnapshotStore;
import io.wavegate.metrics.RolloutMetrics;
import io.wavegate.rollout.ContentRolloutReconciler;
import io.wavegate.rollout.EventRecorder;
import io.wavegate.validation.GateRunner;
import io.wavegate.validation.SourceReader;
import java.time.Clock;

/** Wires the operator: JOSDK with its metrics and leader election, and the ContentRollout reconciler. */
public final class WavegateOperator implements AutoCloseable {

  private final Operator operator;
  private final NodeWriter nodeWriter;

  public WavegateOperator(KubernetesClient client, OperatorConfig config, MeterRegistry registry) {
    this.nodeWriter = new NodeWriter(client, config.nodeWriteConcurrency());
    this.operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build());
      if (config.leaderElection()) {
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(config.leaseName(), config.namespace()));
      }
    });
    SourceReader reader = new SourceReader(client, config.namespace(), config.sourceNamespaces());
    operator.register(new ContentRolloutReconciler(client, config, new GateRunner(reader),
        new SnapshotStore(client, config.namespace(), config.snapshotHistory()), nodeWriter, new EventRecorder(client),
        new RolloutMetrics(registry), Clock.systemUTC()));
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
    operator.stop();
    nodeWriter.close();
  }
}
