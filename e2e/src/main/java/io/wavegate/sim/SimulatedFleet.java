package io.wavegate.sim;

import io.wavegate.contract.Digests;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.wavegate.agent.AgentSettings;
import io.wavegate.agent.NodeAgent;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.NodeContents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Node objects in pools on a real API server, each with the real node agent ({@link NodeAgent})
 * writing into its own directory. Faults are injected around the agents by writing Node and Pod
 * status (Ready, boot ID, crashed containers) or by stopping an agent.
 */
public final class SimulatedFleet implements AutoCloseable {

  public static final String POOL_LABEL = "wavegate.io/pool";
  /** The simulated agents look again every 2 s (60 s on real nodes), so a healed disk fault is retried soon. */
  static final String AGENT_RESYNC = "2s";

  private final KubernetesClient client;
  private final String fleetLabel;
  private final List<String> nodes = new CopyOnWriteArrayList<>();
  /** Nodes outside the fleet whose assignments are recorded too (a real node beside it). */
  private final Set<String> watched = ConcurrentHashMap.newKeySet();
  private final Map<String, NodeAgent> agents = new ConcurrentHashMap<>();
  private final Path baseDir;
  private final Map<String, List<String>> desiredHistory = new ConcurrentHashMap<>();
  private final SharedIndexInformer<NodeContent> informer;
  private final Function<String, KubernetesClient> agentClient;
  private final NodeMarks marks;

  /** Creates {@code sizes[i]} Ready nodes in pool {@code pools[i]}, labelled fleet=&lt;id&gt;; agents use {@code client}. */
  public SimulatedFleet(KubernetesClient client, String id, Map<String, Integer> pools) {
    this(client, id, pools, node -> client);
  }

  /**
   * As above, but each node's agent talks to the API server through {@code agentClient.apply(node)},
   * for example as the agent's service account with a token bound to that node.
   */
  public SimulatedFleet(KubernetesClient client, String id, Map<String, Integer> pools,
      Function<String, KubernetesClient> agentClient) {
    this(client, id, pools, agentClient, NodeMarks.NONE);
  }

  /**
   * What marks the fleet's Node objects besides their labels: {@link #KWOK} hands them to kwok (their
   * heartbeats and Leases, and their pods run, as a kubelet would), tainted so that only what
   * tolerates every taint (the agent's DaemonSet) is scheduled on them.
   */
  public record NodeMarks(Map<String, String> annotations, List<Taint> taints) {
    public static final NodeMarks NONE = new NodeMarks(Map.of(), List.of());
    public static final NodeMarks KWOK = new NodeMarks(Map.of("kwok.x-k8s.io/node", "fake"),
        List.of(new TaintBuilder().withKey("kwok.x-k8s.io/node").withValue("fake").withEffect("NoSchedule").build()));
  }

  public SimulatedFleet(KubernetesClient client, String id, Map<String, Integer> pools,
      Function<String, KubernetesClient> agentClient, NodeMarks marks) {
    this.client = client;
    this.agentClient = agentClient;
    this.marks = marks;
    this.fleetLabel = id;
    try {
      this.baseDir = Files.createTempDirectory("wavegate-fleet-" + id);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    pools.forEach((pool, size) -> {
      for (int i = 0; i < size; i++) {
        addNode(id + "-" + pool + "-" + i, pool);
      }
    });
    informer = client.resources(NodeContent.class).inform(OnChange.observe(this::observe));
  }

  /** A Ready node joining the fleet in the given pool. */
  public void addNode(String name, String pool) {
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
        .addToLabels(POOL_LABEL, pool).addToLabels("fleet", fleetLabel).addToLabels("kubernetes.io/os", "linux")
        .addToAnnotations(marks.annotations()).endMetadata().withNewSpec().withTaints(marks.taints()).endSpec().build())
        .create();
    setStatus(name, true, UUID.randomUUID().toString());
    nodes.add(name);
    agents.put(name, startAgent(name));
  }

  private NodeAgent startAgent(String name) {
    try {
      return new NodeAgent(agentClient.apply(name), AgentSettings.fromEnv(Map.of("NODE_NAME", name,
          "WAVEGATE_CONTENT_DIR", contentDir(name).toString(), "WAVEGATE_AGENT_RESYNC", AGENT_RESYNC)),
          Clock.systemUTC()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The node is deleted (decommissioned, scaled in); its agent goes with it. */
  public void removeNode(String name) {
    silence(name);
    nodes.remove(name);
    client.nodes().withName(name).delete();
    client.resources(NodeContent.class).withName(name).delete(); // what the garbage collector would do
  }

  public List<String> nodes() {
    return List.copyOf(nodes);
  }

  /** Records the assignments of {@code node}, a node outside the fleet with an agent of its own, too. */
  public void watch(String node) {
    watched.add(node);
  }

  /** The fleet's nodes and the watched ones. */
  public List<String> everyNode() {
    return java.util.stream.Stream.concat(nodes.stream(), watched.stream()).toList();
  }

  public List<String> nodesInPool(String pool) {
    return nodes.stream().filter(n -> n.startsWith(fleetLabel + "-" + pool + "-")).toList();
  }

  public Node node(String name) {
    return client.nodes().withName(name).get();
  }

  /** Every distinct desired revision the operator wrote on the node for the channel, in order. */
  public List<String> desiredHistory(String name, String channel) {
    return desiredHistory.getOrDefault(name + "/" + channel, List.of());
  }

  /** The node's NodeContent, or null before its first assignment. */
  public NodeContent content(String name) {
    return client.resources(NodeContent.class).withName(name).get();
  }

  /** The short revision the operator assigned the node for the channel, or null. */
  public String assignedShort(String name, String channel) {
    return NodeContents.assignment(content(name), channel).map(a -> Digests.shortRevision(a.revision())).orElse(null);
  }

  public AgentReport report(String name, String channel) {
    return NodeContents.report(content(name), channel).orElse(null);
  }

  /** The agent on this node stops answering (a stuck or crashed agent). */
  public void silence(String name) {
    NodeAgent agent = agents.remove(name);
    if (agent != null) {
      agent.close();
    }
  }

  /** The node's agent starts again (after {@link #silence}), on the same directory. */
  public void revive(String name) {
    agents.computeIfAbsent(name, n -> startAgent(n));
  }

  /**
   * A disk fault on the node for one channel: where the channel's directory should be stands a file,
   * so the agent cannot write there (it reports WriteError). Only on a node that holds no content of
   * the channel yet; false when it does.
   */
  public boolean breakDisk(String name, String channel) {
    Path dir = contentDir(name).resolve(channel);
    if (Files.exists(dir)) {
      return false;
    }
    try {
      Files.createDirectories(contentDir(name));
      Files.writeString(dir, "not a directory");
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The disk fault is gone. */
  public void healDisk(String name, String channel) {
    Path dir = contentDir(name).resolve(channel);
    try {
      if (Files.isRegularFile(dir)) {
        Files.delete(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the node's agent writes its content (its stand-in for /var/lib/wavegate). */
  public Path contentDir(String name) {
    return baseDir.resolve(name);
  }

  public void setReady(String name, boolean ready) {
    Node node = node(name);
    setStatus(name, ready, node.getStatus().getNodeInfo().getBootID());
  }

  /** A kernel panic: the node comes back with a new boot ID. */
  public void reboot(String name) {
    setStatus(name, true, UUID.randomUUID().toString());
  }

  /** A pod of the given app on the node whose container crashed now (exit 139). */
  public void crashPod(String name, String namespace, String app) {
    String podName = name + "-" + app + "-" + UUID.randomUUID().toString().substring(0, 6);
    client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(podName)
        .withNamespace(namespace).addToLabels("app", app).endMetadata()
        .withNewSpec().withNodeName(name).addNewContainer().withName(app).withImage("sensor:1").endContainer().endSpec()
        .build()).create();
    Pod pod = client.pods().inNamespace(namespace).withName(podName).get();
    pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running")
        .addNewContainerStatus().withName(app).withImage("sensor:1").withImageID("").withReady(false)
        .withRestartCount(1).withNewLastState().withNewTerminated().withExitCode(139).withReason("Error")
        .withFinishedAt(Instant.now().plusSeconds(1).toString()).endTerminated().endLastState()
        .withNewState().withNewRunning().withStartedAt(Instant.now().toString()).endRunning().endState()
        .endContainerStatus().build());
    client.pods().inNamespace(namespace).resource(pod).updateStatus();
  }

  private void setStatus(String name, boolean ready, String bootId) {
    Kubelet.reportStatus(client, name, ready, bootId, List.of());
  }


  /** Records every distinct desired revision the operator writes, to count writes per node. */
  private void observe(NodeContent content) {
    String name = content.getMetadata().getName();
    if (!nodes.contains(name) && !watched.contains(name)) {
      return;
    }
    Set<String> channels = new java.util.HashSet<>(NodeContents.channels(content));
    desiredHistory.keySet().stream().filter(k -> k.startsWith(name + "/"))
        .forEach(k -> channels.add(k.substring(name.length() + 1)));
    for (String channel : channels) {
      Assignment desired = NodeContents.assignment(content, channel).orElse(null);
      List<String> history = desiredHistory.computeIfAbsent(name + "/" + channel, k -> new CopyOnWriteArrayList<>());
      String revision = desired == null ? "none" : desired.revision();
      if (history.isEmpty() ? desired != null : !history.get(history.size() - 1).equals(revision)) {
        history.add(revision);
      }
    }
  }

  @Override
  public void close() {
    agents.values().forEach(NodeAgent::close);
    informer.close();
    for (String name : nodes) {
      client.nodes().withName(name).delete();
      // kube-api-test runs no garbage collector to follow the owner reference
      client.resources(NodeContent.class).withName(name).delete();
    }
    try (var files = Files.walk(baseDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory; nothing to recover
    }
  }
}
