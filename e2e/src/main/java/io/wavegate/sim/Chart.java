package io.wavegate.sim;

import io.wavegate.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Helm chart in helm/wavegate, rendered by the real helm binary (scripts/helm.sh provides it,
 * built from the Go module proxy where it is missing) and applied to a test API server.
 */
public final class Chart {

  public static final String RELEASE = "wavegate";
  public static final String NAMESPACE = "wavegate-system";
  public static final String SNAPSHOTS = "wavegate-snapshots";
  public static final String VALIDATORS = "wavegate-validators";
  public static final String VALIDATOR_ACCOUNT = "wavegate-validator";
  public static final String TRUSTED_KEYS = "wavegate-trusted-keys";
  public static final String OPERATOR_USER = "system:serviceaccount:" + NAMESPACE + ":wavegate-operator";
  public static final String AGENT_USER = "system:serviceaccount:" + NAMESPACE + ":wavegate-agent";
  /** Where the API server puts the node a service account token is bound to (Kubernetes 1.30+). */
  public static final String NODE_NAME_EXTRA = "authentication.kubernetes.io/node-name";
  public static final String KUBE_VERSION = ClusterSetup.K8S_VERSION;

  private Chart() {}

  public static Path dir() {
    return ClusterSetup.repoRoot().resolve("helm/wavegate");
  }

  /** Runs helm with the given arguments; returns its exit code and combined output. */
  public static Result helm(String... args) {
    List<String> command = new ArrayList<>();
    command.add(helmBinary());
    command.addAll(List.of(args));
    return run(command);
  }

  /** `helm template` of the chart as release "wavegate" in wavegate-system, CRDs included. */
  public static String render(String... extraArgs) {
    List<String> args = new ArrayList<>(List.of("template", RELEASE, dir().toString(), "--namespace", NAMESPACE,
        "--kube-version", KUBE_VERSION, "--include-crds"));
    args.addAll(List.of(extraArgs));
    Result result = helm(args.toArray(String[]::new));
    if (result.exitCode() != 0) {
      throw new IllegalStateException("helm template failed:\n" + result.output());
    }
    return result.output();
  }

  /**
   * Installs the rendered chart as `helm install` would: the namespace, then the CRD (waited until
   * Established), then every other object, by server-side apply so that a second install is a no-op.
   */
  public static List<HasMetadata> install(KubernetesClient client, String... helmArgs) {
    ClusterSetup.createNamespace(client, NAMESPACE);
    List<String> args = new ArrayList<>(List.of(helmArgs));
    args.add("--skip-tests"); // `helm install` creates the test pod only on `helm test`
    List<HasMetadata> objects = client.load(new ByteArrayInputStream(render(args.toArray(String[]::new))
        .getBytes(StandardCharsets.UTF_8))).items();
    for (HasMetadata object : objects) {
      if (object instanceof CustomResourceDefinition crd) {
        client.resource(crd).forceConflicts().serverSideApply();
        client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
            .waitUntilCondition(ClusterSetup::established, 60, TimeUnit.SECONDS);
      }
    }
    for (HasMetadata object : objects) {
      if (!(object instanceof CustomResourceDefinition)) {
        client.resource(object).forceConflicts().serverSideApply();
      }
    }
    return objects;
  }

  /**
   * The operator's settings exactly as the installed chart gives them (its Deployment's environment),
   * with {@code overrides} on top (for example a smaller write batch, or no leader election for an
   * operator a test restarts at once).
   */
  /**
   * The operator in this JVM, started as the chart installs it: with the operator service account's token
   * and the chart's settings, {@code overrides} on top.
   */
  public static io.wavegate.WavegateOperator startOperator(KubernetesClient admin, Map<String, String> overrides,
      io.micrometer.core.instrument.MeterRegistry registry) {
    return new io.wavegate.WavegateOperator(asOperator(admin), operatorConfig(admin, overrides), registry).start();
  }

  public static OperatorConfig operatorConfig(KubernetesClient admin, Map<String, String> overrides) {
    Map<String, String> env = operatorEnvironment(admin);
    env.put("WAVEGATE_METRICS_PORT", "0");
    env.putAll(overrides);
    return OperatorConfig.fromEnvironment(env);
  }

  /** The operator container's environment as the installed Deployment sets it, fieldRefs resolved. */
  public static Map<String, String> operatorEnvironment(KubernetesClient admin) {
    Map<String, String> env = environment(operatorContainer(admin));
    env.put("WAVEGATE_NAMESPACE", NAMESPACE); // from the pod's own namespace (fieldRef)
    return env;
  }

  /** The operator's container as the installed Deployment has it. */
  public static Container operatorContainer(KubernetesClient admin) {
    return admin.apps().deployments().inNamespace(NAMESPACE).withName("wavegate-operator").get().getSpec()
        .getTemplate().getSpec().getContainers().get(0);
  }

  /** The agent container's environment as the installed DaemonSet sets it on {@code node}, fieldRefs resolved. */
  public static Map<String, String> agentEnvironment(KubernetesClient admin, String node) {
    Map<String, String> env = environment(agentDaemonSet(admin).getSpec().getTemplate().getSpec().getContainers().get(0));
    env.put("NODE_NAME", node); // spec.nodeName (fieldRef)
    return env;
  }

  /** The operator's client: a real token of the chart's operator service account. */
  public static KubernetesClient asOperator(KubernetesClient admin) {
    return ServiceAccountTokens.client(admin, OPERATOR_USER, () -> operatorToken(admin));
  }

  public static String operatorToken(KubernetesClient admin) {
    return ServiceAccountTokens.issue(admin, NAMESPACE, "wavegate-operator", null);
  }

  /**
   * The agent's client on {@code node}: a real token of the chart's agent service account, bound to
   * the agent's Pod on that node (the DaemonSet's pod, {@link #agentPod}), as the kubelet gets it.
   */
  public static KubernetesClient asAgentOn(KubernetesClient admin, String node) {
    return ServiceAccountTokens.client(admin, AGENT_USER + " on " + node, () -> agentToken(admin, node));
  }

  /**
   * As {@link #asAgentOn}, bound to the DaemonSet's pod on the node now: after the DaemonSet replaced
   * its pods (a `helm upgrade`), the agent of the new pod gets a token of its own, as from the kubelet.
   */
  public static KubernetesClient asAgentInCurrentPod(KubernetesClient admin, String node) {
    Pod pod = agentPod(admin, node);
    return ServiceAccountTokens.client(admin, AGENT_USER + " in pod " + pod.getMetadata().getUid(),
        () -> ServiceAccountTokens.issue(admin, NAMESPACE, "wavegate-agent", pod));
  }

  public static String agentToken(KubernetesClient admin, String node) {
    return ServiceAccountTokens.issue(admin, NAMESPACE, "wavegate-agent", agentPod(admin, node));
  }

  /** The agent's client with a token bound to no pod (as `kubectl create token` makes one): it belongs to no node. */
  public static KubernetesClient asUnboundAgent(KubernetesClient admin) {
    return ServiceAccountTokens.client(admin, AGENT_USER + " unbound",
        () -> ServiceAccountTokens.issue(admin, NAMESPACE, "wavegate-agent", null));
  }

  /** How long the DaemonSet's controller may take to create a node's agent pod (a loaded 2-core machine is slow). */
  static final java.time.Duration DAEMON_POD_WAIT = java.time.Duration.ofMinutes(3);

  /**
   * The DaemonSet's pod on {@code node}: the one its controller made where a controller-manager runs
   * (the real-node tier: waited for, since the agent's token must be bound to the pod the DaemonSet
   * keeps), else one made here from the chart's template with its node set, as the controller would;
   * no kubelet runs that one: it is what the agent's token is bound to. Created once.
   */
  public static Pod agentPod(KubernetesClient admin, String node) {
    DaemonSet daemonSet = agentDaemonSet(admin);
    if (daemonSet.getStatus() != null && daemonSet.getStatus().getObservedGeneration() != null) {
      try {
        return admin.pods().inNamespace(NAMESPACE).withLabels(daemonSet.getSpec().getSelector().getMatchLabels())
            .withField("spec.nodeName", node)
            .informOnCondition(pods -> pods.stream().anyMatch(p -> p.getMetadata().getDeletionTimestamp() == null))
            .thenApply(pods -> pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).findFirst()
                .orElseThrow())
            .orTimeout(DAEMON_POD_WAIT.toSeconds(), TimeUnit.SECONDS).join();
      } catch (java.util.concurrent.CompletionException timedOut) {
        throw new IllegalStateException(noDaemonPod(admin, node), timedOut);
      }
    }
    String name = "wavegate-agent-" + node;
    Pod existing = admin.pods().inNamespace(NAMESPACE).withName(name).get();
    if (existing != null) {
      return existing;
    }
    PodTemplateSpec template = daemonSet.getSpec().getTemplate();
    PodSpec spec = template.getSpec();
    spec.setNodeName(node);
    return admin.resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
        .withLabels(template.getMetadata().getLabels()).endMetadata().withSpec(spec).build()).create();
  }

  /** Why no agent pod came, on one line (a CI log shows only that): the DaemonSet, the node, the namespace's warnings. */
  private static String noDaemonPod(KubernetesClient admin, String node) {
    DaemonSet daemonSet = agentDaemonSet(admin);
    var status = daemonSet.getStatus();
    Node target = admin.nodes().withName(node).get();
    List<String> pods = admin.pods().inNamespace(NAMESPACE).withField("spec.nodeName", node).list().getItems().stream()
        .map(p -> p.getMetadata().getName() + " " + (p.getStatus() == null ? "?" : p.getStatus().getPhase())
            + (p.getMetadata().getDeletionTimestamp() == null ? "" : " deleting")).toList();
    List<String> warnings = admin.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> !"Normal".equals(e.getType()))
        .map(e -> e.getInvolvedObject().getName() + " " + e.getReason() + ": " + e.getMessage()).toList();
    return String.format("no agent pod on %s after %s: DaemonSet desired %s current %s ready %s (generation %s,"
        + " observed %s); node %s, taints %s; pods there %s; warnings %s", node, DAEMON_POD_WAIT,
        status.getDesiredNumberScheduled(), status.getCurrentNumberScheduled(), status.getNumberReady(),
        daemonSet.getMetadata().getGeneration(), status.getObservedGeneration(), target == null ? "missing" : "exists",
        target == null ? "-" : target.getSpec().getTaints().stream().map(t -> t.getKey() + ":" + t.getEffect()).toList(),
        pods, warnings.subList(Math.max(0, warnings.size() - 5), warnings.size())).replace('\n', ' ');
  }

  private static DaemonSet agentDaemonSet(KubernetesClient admin) {
    return admin.apps().daemonSets().inNamespace(NAMESPACE).withName("wavegate-agent").get();
  }

  private static Map<String, String> environment(Container container) {
    Map<String, String> env = new HashMap<>();
    container.getEnv().stream().filter(e -> e.getValue() != null)
        .forEach(e -> env.put(e.getName(), e.getValue()));
    return env;
  }

  public record Result(int exitCode, String output) {}

  private static String helmBinary() {
    String configured = System.getProperty("wavegate.helm", System.getenv("WAVEGATE_HELM"));
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    Result provisioned = run(List.of("bash", ClusterSetup.repoRoot().resolve("scripts/helm.sh").toString()));
    String[] lines = provisioned.output().strip().split("\n");
    String path = lines[lines.length - 1].strip();
    if (provisioned.exitCode() != 0 || !Files.isExecutable(Path.of(path))) {
      throw new IllegalStateException("scripts/helm.sh could not provide helm:\n" + provisioned.output());
    }
    return path;
  }

  private static Result run(List<String> command) {
    try {
      // stderr (helm's warnings, the script's progress) goes apart so that rendered YAML stays clean
      Path stderr = Files.createTempFile("wavegate-helm", ".err");
      Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = process.waitFor();
      String err = Files.readString(stderr);
      Files.delete(stderr);
      return new Result(code, code == 0 ? out : out + err);
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
