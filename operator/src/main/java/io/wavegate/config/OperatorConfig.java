package io.wavegate.config;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's settings, from environment variables (docs/operations.md lists them).
 *
 * @param namespace where snapshots and the leader-election Lease live
 * @param sourceNamespaces the only namespaces content sources, keys and schemas may be read from
 * @param nodeWriteBatch the most node patches one reconcile writes; the rest follow at once in the
 *     next one, so that a large wave's writes never keep a breach waiting for long
 * @param podLabelSelector restricts the pods watched for crashingPodSelector (Kubernetes selector
 *     syntax); null watches every pod
 */
public record OperatorConfig(
    String namespace,
    Set<String> sourceNamespaces,
    int metricsPort,
    boolean leaderElection,
    String leaseName,
    int nodeWriteConcurrency,
    int nodeWriteBatch,
    int snapshotHistory,
    String podLabelSelector) {

  public static final String DEFAULT_NAMESPACE = "wavegate-system";

  public static OperatorConfig fromEnvironment(Map<String, String> env) {
    String namespace = env.getOrDefault("WAVEGATE_NAMESPACE", env.getOrDefault("POD_NAMESPACE", DEFAULT_NAMESPACE));
    String sources = env.getOrDefault("WAVEGATE_SOURCE_NAMESPACES", namespace);
    return new OperatorConfig(
        namespace,
        Arrays.stream(sources.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet()),
        Integer.parseInt(env.getOrDefault("WAVEGATE_METRICS_PORT", "8080")),
        Boolean.parseBoolean(env.getOrDefault("WAVEGATE_LEADER_ELECTION", "true")),
        env.getOrDefault("WAVEGATE_LEASE_NAME", "wavegate-operator"),
        Integer.parseInt(env.getOrDefault("WAVEGATE_NODE_WRITE_CONCURRENCY", "16")),
        Integer.parseInt(env.getOrDefault("WAVEGATE_NODE_WRITE_BATCH", "500")),
        Integer.parseInt(env.getOrDefault("WAVEGATE_SNAPSHOT_HISTORY", "3")),
        blankToNull(env.get("WAVEGATE_POD_SELECTOR")));
  }

  public static OperatorConfig forNamespace(String namespace) {
    return new OperatorConfig(namespace, Set.of(namespace), 0, false, "wavegate-operator", 16, 500, 3, null);
  }

  public OperatorConfig withNodeWriteBatch(int batch) {
    return new OperatorConfig(namespace, sourceNamespaces, metricsPort, leaderElection, leaseName, nodeWriteConcurrency,
        batch, snapshotHistory, podLabelSelector);
  }

  public OperatorConfig withSourceNamespaces(Set<String> namespaces) {
    return new OperatorConfig(namespace, Set.copyOf(namespaces), metricsPort, leaderElection, leaseName,
        nodeWriteConcurrency, nodeWriteBatch, snapshotHistory, podLabelSelector);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
