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
 * @param trustedKeysConfigMap the ConfigMap (in {@code namespace}) of publisher keys the cluster admin
 *     trusts, key id to PEM; null trusts none
 * @param requireSignatures every revision must carry a signature by a trusted key
 * @param snapshotNamespace where snapshots live, and nothing else (its own namespace in the chart)
 * @param validatorNamespace where validator Jobs run, confined (its own namespace in the chart)
 * @param validatorServiceAccount the service account validator pods run as (no rights, no token)
 * @param ociInsecureRegistries registries (host[:port]) pulled from over plain HTTP, besides loopback ones
 * @param gateDir where the gate keeps an OCI layer while it checks it (the chart mounts a sized emptyDir)
 * @param agentImage the node agent's image, which a validator Job for OCI content fetches it with; null: none
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
    String podLabelSelector,
    String trustedKeysConfigMap,
    boolean requireSignatures,
    String snapshotNamespace,
    String validatorNamespace,
    String validatorServiceAccount,
    Set<String> ociInsecureRegistries,
    java.nio.file.Path gateDir,
    String agentImage) {

  public static final String DEFAULT_NAMESPACE = "wavegate-system";
  public static final String DEFAULT_VALIDATOR_SERVICE_ACCOUNT = "wavegate-validator";

  public static OperatorConfig fromEnvironment(Map<String, String> env) {
    String namespace = env.getOrDefault("WAVEGATE_NAMESPACE", env.getOrDefault("POD_NAMESPACE", DEFAULT_NAMESPACE));
    String sources = env.getOrDefault("WAVEGATE_SOURCE_NAMESPACES", namespace);
    return new OperatorConfig(
        namespace,
        list(sources),
        Integer.parseInt(env.getOrDefault("WAVEGATE_METRICS_PORT", "8080")),
        Boolean.parseBoolean(env.getOrDefault("WAVEGATE_LEADER_ELECTION", "true")),
        env.getOrDefault("WAVEGATE_LEASE_NAME", "wavegate-operator"),
        Integer.parseInt(env.getOrDefault("WAVEGATE_NODE_WRITE_CONCURRENCY", "16")),
        Integer.parseInt(env.getOrDefault("WAVEGATE_NODE_WRITE_BATCH", "500")),
        Integer.parseInt(env.getOrDefault("WAVEGATE_SNAPSHOT_HISTORY", "3")),
        blankToNull(env.get("WAVEGATE_POD_SELECTOR")),
        blankToNull(env.get("WAVEGATE_TRUSTED_KEYS_CONFIGMAP")),
        Boolean.parseBoolean(env.getOrDefault("WAVEGATE_REQUIRE_SIGNATURES", "false")),
        env.getOrDefault("WAVEGATE_SNAPSHOT_NAMESPACE", namespace),
        env.getOrDefault("WAVEGATE_VALIDATOR_NAMESPACE", namespace),
        env.getOrDefault("WAVEGATE_VALIDATOR_SERVICE_ACCOUNT", DEFAULT_VALIDATOR_SERVICE_ACCOUNT),
        list(env.getOrDefault("WAVEGATE_OCI_INSECURE_REGISTRIES", "")),
        java.nio.file.Path.of(env.getOrDefault("WAVEGATE_GATE_DIR", System.getProperty("java.io.tmpdir"))),
        blankToNull(env.get("WAVEGATE_AGENT_IMAGE")));
  }

  public static OperatorConfig forNamespace(String namespace) {
    return new OperatorConfig(namespace, Set.of(namespace), 0, false, "wavegate-operator", 16, 500, 3, null, null, false,
        namespace, namespace, DEFAULT_VALIDATOR_SERVICE_ACCOUNT, Set.of(),
        java.nio.file.Path.of(System.getProperty("java.io.tmpdir")), null);
  }

  private static Set<String> list(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
