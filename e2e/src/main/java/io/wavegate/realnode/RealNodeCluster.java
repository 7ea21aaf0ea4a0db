package io.wavegate.realnode;

import io.wavegate.sim.Chart;
import io.wavegate.sim.ClusterSetup;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The single-node cluster of the real-node tier ({@code scripts/real-node.sh}): a kubelet with
 * containerd and runc on this machine, the control plane, a local registry and kwok. wavegate is
 * installed on it with {@code helm install}, from images built here ({@code scripts/node-images.sh},
 * Jib), so its operator and agent run as pods with the chart's identities, probes and securityContexts.
 */
public final class RealNodeCluster implements AutoCloseable {

  public static final String NODE = "real-node-1";
  public static final String OPERATOR_IMAGE = "wavegate/wavegate";
  public static final String AGENT_IMAGE = "wavegate/wavegate-agent";
  public static final String CONSUMER_IMAGE = "wavegate/consumer:local";
  /** What the sensor on the real node (images/consumer) crashes on. */
  public static final String CRASH_MARKER = "PANIC-ON-LOAD";
  /**
   * A canary bake long enough for the sensor's crash to reach the API server: it reads the file every
   * second, then the kubelet notices the crash and reports it. A bake is how long a crash has to show up.
   */
  public static final String CANARY_BAKE = "15s";
  static final String REGISTRY = "127.0.0.1:" + System.getenv().getOrDefault("WAVEGATE_REGISTRY_PORT", "5111");
  public static final Duration POD_READY = Duration.ofMinutes(3);

  private final Path root = ClusterSetup.repoRoot();
  private final Path state = Path.of(System.getenv().getOrDefault("WAVEGATE_REAL_NODE_DIR", "/tmp/wavegate-real-node"));
  private final PrintStream out;
  private final KubernetesClient admin;
  private final Path kubeconfig;

  private RealNodeCluster(PrintStream out, Path kubeconfig) {
    this.out = out;
    this.kubeconfig = kubeconfig;
    try {
      this.admin = new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Why the tier cannot run here, or empty when scripts/test.sh provisioned it (it passes
   * -Dwavegate.realNode=true, or the reason it skipped).
   */
  public static Optional<String> unavailable() {
    if (Boolean.getBoolean("wavegate.realNode")) {
      return Optional.empty();
    }
    return Optional.of(System.getProperty("wavegate.realNode.skipped",
        "the real-node tier was not provisioned: scripts/test.sh does it, as root (docs/real-node.md)"));
  }

  /**
   * Starts the cluster afresh (a leftover one is stopped first), its API server writing an audit log
   * to {@code auditLog} when not null, and pushes the project's images.
   */
  public static RealNodeCluster start(PrintStream out, Path auditLog) {
    realNode(out, Map.of(), "down");
    Instant started = Instant.now();
    String kubeconfig = realNode(out, auditLog == null ? Map.of() : Map.of("WAVEGATE_AUDIT_LOG", auditLog.toString()),
        "up").strip().lines().reduce((a, b) -> b).orElseThrow();
    out.printf("[real-node] cluster up in %d s%n", Duration.between(started, Instant.now()).toSeconds());
    RealNodeCluster cluster = new RealNodeCluster(out, Path.of(kubeconfig));
    cluster.pushImages();
    return cluster;
  }

  public KubernetesClient admin() {
    return admin;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  /** The real node's content directory, the agent's hostPath (agent.contentDir). */
  public Path contentDir() {
    return state.resolve("node-content");
  }

  public String image(String name) {
    return REGISTRY + "/" + name;
  }

  private void pushImages() {
    String tag = System.getProperty("wavegate.image.tag", "0.1.0");
    push(root.resolve("operator/target/jib-image.tar"), OPERATOR_IMAGE + ":" + tag);
    push(root.resolve("agent/target/jib-image.tar"), AGENT_IMAGE + ":" + tag);
    push(Path.of(run(out, Map.of(), "scripts/node-images.sh").strip().lines().reduce((a, b) -> b).orElseThrow(), "consumer.tar"),
        CONSUMER_IMAGE);
  }

  private void push(Path tarball, String name) {
    if (!Files.exists(tarball)) {
      throw new IllegalStateException(tarball + " is missing: build with -Dwavegate.realNode=true (scripts/test.sh)");
    }
    realNode(out, Map.of(), "push", tarball.toString(), name);
    try {
      out.printf("[real-node] image %s/%s: %.1f MB (compressed layers)%n", REGISTRY, name, Files.size(tarball) / 1e6);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code helm install wavegate helm/wavegate -n wavegate-system --create-namespace} as docs/install.md
   * gives it, with the images from the local registry and the agent's hostPath in the tier's state,
   * waiting until the operator and every agent pod are Ready.
   */
  public Chart.Result helmInstall(String... values) {
    return helm("install", values);
  }

  /** {@code helm upgrade} of the release with the same images and more values. */
  public Chart.Result helmUpgrade(String... values) {
    return helm("upgrade", values);
  }

  private Chart.Result helm(String verb, String... values) {
    String tag = System.getProperty("wavegate.image.tag", "0.1.0");
    List<String> args = new ArrayList<>(List.of(verb, Chart.RELEASE, Chart.dir().toString(), "--namespace",
        Chart.NAMESPACE, "--kubeconfig", kubeconfig.toString(), "--wait", "--timeout", "5m",
        "--set", "image.repository=" + image(OPERATOR_IMAGE), "--set", "image.tag=" + tag,
        "--set", "agent.image.repository=" + image(AGENT_IMAGE), "--set", "agent.image.tag=" + tag,
        "--set", "agent.contentDir=" + contentDir()));
    if (verb.equals("install")) {
      args.add("--create-namespace");
    }
    for (String value : values) {
      args.add("--set");
      args.add(value);
    }
    Instant started = Instant.now();
    Chart.Result result = Chart.helm(args.toArray(String[]::new));
    out.printf("[real-node] helm %s: exit %d in %d s%n", verb, result.exitCode(),
        Duration.between(started, Instant.now()).toSeconds());
    return result;
  }

  public Chart.Result helmUninstall() {
    return Chart.helm("uninstall", Chart.RELEASE, "--namespace", Chart.NAMESPACE, "--kubeconfig", kubeconfig.toString(),
        "--wait");
  }

  /** The pods of the chart's {@code component} (operator, agent) on the real node. */
  public List<Pod> podsOnNode(String component) {
    return admin.pods().inNamespace(Chart.NAMESPACE).withLabel("app.kubernetes.io/component", component)
        .withField("spec.nodeName", NODE).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  /** Waits for one Ready pod of {@code component} on the real node other than {@code notNamed}. */
  public Pod awaitReadyPod(String component, String notNamed) {
    long deadline = System.nanoTime() + POD_READY.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Pod> ready = podsOnNode(component).stream()
          .filter(p -> !p.getMetadata().getName().equals(notNamed)).filter(RealNodeCluster::ready).findFirst();
      if (ready.isPresent()) {
        return ready.get();
      }
      sleep(250);
    }
    throw new AssertionError("no Ready " + component + " pod on " + NODE + " in " + POD_READY + ": "
        + podsOnNode(component).stream().map(p -> p.getMetadata().getName() + " " + p.getStatus()).toList());
  }

  public static boolean ready(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
        .stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  /** Seconds from the pod's creation to its Ready condition. */
  public static long secondsToReady(Pod pod) {
    Instant created = Instant.parse(pod.getMetadata().getCreationTimestamp());
    return pod.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready"))
        .map(PodCondition::getLastTransitionTime).map(Instant::parse)
        .map(ready -> Duration.between(created, ready).toSeconds()).findFirst().orElse(-1L);
  }

  /** The log of a container of the pod, through the API server and the kubelet. */
  public String log(Pod pod, boolean previous) {
    var container = admin.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName());
    return previous ? container.terminated().getLog() : container.getLog();
  }

  /**
   * A consumer of the channel's file on the real node (images/consumer): it reads the file through
   * a hostPath and crashes while the file holds {@link #CRASH_MARKER}, restarting as a real sensor
   * would. Labelled app=sensor, the pods a rollout's crashingPodSelector counts.
   */
  public Pod startConsumer(String namespace, String channel, String file) {
    ClusterSetup.createNamespace(admin, namespace);
    Pod pod = new PodBuilder().withNewMetadata().withName("sensor").withNamespace(namespace)
        .addToLabels("app", "sensor").endMetadata()
        .withNewSpec().withNodeName(NODE).withTerminationGracePeriodSeconds(1L)
        .addNewContainer().withName("sensor").withImage(image(CONSUMER_IMAGE))
        .withArgs("/content/" + channel + "/" + file, CRASH_MARKER)
        .addNewVolumeMount().withName("content").withMountPath("/content").withReadOnly(true).endVolumeMount()
        .withNewSecurityContext().withRunAsNonRoot(true).withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true).withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
        .endContainer()
        .addNewVolume().withName("content").withNewHostPath().withPath(contentDir().toString())
        .withType("DirectoryOrCreate").endHostPath().endVolume()
        .endSpec().build();
    return admin.resource(pod).serverSideApply();
  }

  /** The channel's file as it is on the real node's disk (in the agent's hostPath), or null. */
  public byte[] nodeFile(String channel, String file) {
    try {
      Path path = nodePath(channel, file);
      return Files.exists(path) ? Files.readAllBytes(path) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the kubelet keeps the pod's volumes on the node (its projected token among them). */
  public Path kubeletPodDir(Pod pod) {
    return state.resolve("kubelet/pods").resolve(pod.getMetadata().getUid());
  }

  public Path nodePath(String channel, String file) {
    return contentDir().resolve(channel).resolve(file);
  }

  @Override
  public void close() {
    admin.close();
    if (!Boolean.getBoolean("wavegate.realNode.keep")) {
      realNode(out, Map.of(), "down");
    } else {
      out.println("[real-node] kept running: export KUBECONFIG=" + kubeconfig);
    }
  }

  /** {@code scripts/real-node.sh ARGS} */
  private static String realNode(PrintStream out, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of("scripts/real-node.sh"));
    command.addAll(List.of(args));
    return run(out, env, command.toArray(String[]::new));
  }

  /** Runs one of the project's scripts; returns its standard output, echoing its [real-node] lines. */
  private static String run(PrintStream out, Map<String, String> env, String... script) {
    Path root = ClusterSetup.repoRoot();
    List<String> command = new ArrayList<>(List.of(script));
    command.set(0, root.resolve(script[0]).toString());
    try {
      Path log = Files.createTempFile("wavegate-script", ".log");
      ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
          .redirectOutput(ProcessBuilder.Redirect.PIPE).redirectError(log.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed:\n" + Files.readString(log) + stdout);
      }
      Files.readAllLines(log).stream().filter(line -> line.startsWith("[real-node]")).forEach(out::println);
      Files.deleteIfExists(log);
      return stdout;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Labels the real node into {@code pool}, as an SRE would with kubectl label. */
  public void labelNode(String label, String value) {
    admin.nodes().withName(NODE).edit(n -> {
      n.getMetadata().getLabels().put(label, value);
      return n;
    });
  }
}
