package io.wavegate.e2e.support;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.wavegate.delivery.AgentReport;
import io.wavegate.delivery.Assignment;
import io.wavegate.delivery.NodeKeys;
import io.wavegate.delivery.Snapshots;
import io.wavegate.validation.ContentGate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Node objects in pools on a real API server, with the test playing each node's agent by the node
 * contract: it reads the snapshot named in the node's assignment, verifies the digest, and reports
 * Applied or Failed on the node. Faults are injected by writing Node and Pod status.
 */
public final class SimulatedFleet implements AutoCloseable {

  public static final String POOL_LABEL = "wavegate.io/pool";

  private final KubernetesClient client;
  private final String fleetLabel;
  private final List<String> nodes = new CopyOnWriteArrayList<>();
  private final Set<String> silentNodes = ConcurrentHashMap.newKeySet();
  private final Map<String, List<String>> desiredHistory = new ConcurrentHashMap<>();
  private final SharedIndexInformer<Node> informer;

  /** Creates {@code sizes[i]} Ready nodes in pool {@code pools[i]}, labelled fleet=&lt;id&gt;. */
  public SimulatedFleet(KubernetesClient client, String id, Map<String, Integer> pools) {
    this.client = client;
    this.fleetLabel = id;
    pools.forEach((pool, size) -> {
      for (int i = 0; i < size; i++) {
        addNode(id + "-" + pool + "-" + i, pool);
      }
    });
    informer = client.nodes().withLabel("fleet", id).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node node) {
        act(node);
      }

      @Override
      public void onUpdate(Node oldNode, Node newNode) {
        act(newNode);
      }

      @Override
      public void onDelete(Node node, boolean unknown) {}
    });
  }

  /** A Ready node joining the fleet in the given pool. */
  public void addNode(String name, String pool) {
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
        .addToLabels(POOL_LABEL, pool).addToLabels("fleet", fleetLabel).addToLabels("kubernetes.io/os", "linux")
        .endMetadata().build()).create();
    setStatus(name, true, UUID.randomUUID().toString());
    nodes.add(name);
  }

  public List<String> nodes() {
    return List.copyOf(nodes);
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

  public String desiredLabel(String name, String channel) {
    Map<String, String> labels = node(name).getMetadata().getLabels();
    return labels == null ? null : labels.get(NodeKeys.desired(channel));
  }

  public AgentReport report(String name, String channel) {
    return NodeKeys.report(node(name), channel).orElse(null);
  }

  /** The agent on this node never answers (a stuck or crashed agent). */
  public void silence(String name) {
    silentNodes.add(name);
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
    NodeCondition condition = new NodeConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
        .withReason(ready ? "KubeletReady" : "KubeletNotReady").withLastHeartbeatTime(Instant.now().toString())
        .withLastTransitionTime(Instant.now().toString()).build();
    Node node = client.nodes().withName(name).get();
    node.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder().withConditions(condition)
        .withNewNodeInfo().withBootID(bootId).withMachineID(name).withSystemUUID(name).withArchitecture("amd64")
        .withOperatingSystem("linux").withOsImage("sim").withKernelVersion("6.1").withKubeletVersion("v1.34.4")
        .withKubeProxyVersion("").withContainerRuntimeVersion("sim://1").endNodeInfo().build());
    client.nodes().resource(node).updateStatus();
  }

  /** The agent's side of the contract for every channel on the node. */
  private void act(Node node) {
    String name = node.getMetadata().getName();
    Map<String, String> annotations = node.getMetadata().getAnnotations() == null
        ? Map.of() : node.getMetadata().getAnnotations();
    Set<String> channels = new java.util.HashSet<>();
    annotations.keySet().forEach(key -> {
      if (key.startsWith(NodeKeys.OPERATOR_PREFIX)) {
        channels.add(key.substring(NodeKeys.OPERATOR_PREFIX.length()));
      } else if (key.startsWith(NodeKeys.AGENT_PREFIX)) {
        channels.add(key.substring(NodeKeys.AGENT_PREFIX.length()));
      }
    });
    for (String channel : channels) {
      Assignment desired = NodeKeys.assignment(node, channel).orElse(null);
      AgentReport reported = NodeKeys.report(node, channel).orElse(null);
      record(name, channel, desired);
      if (silentNodes.contains(name)) {
        continue;
      }
      if (desired == null && reported != null) {
        writeReport(name, channel, null);
      } else if (desired != null && (reported == null || !desired.revision().equals(reported.revision()))) {
        writeReport(name, channel, apply(desired));
      }
    }
  }

  private void record(String name, String channel, Assignment desired) {
    List<String> history = desiredHistory.computeIfAbsent(name + "/" + channel, k -> new CopyOnWriteArrayList<>());
    String revision = desired == null ? "none" : desired.revision();
    if (history.isEmpty() ? desired != null : !history.get(history.size() - 1).equals(revision)) {
      history.add(revision);
    }
  }

  private AgentReport apply(Assignment desired) {
    String[] ref = desired.snapshot().split("/", 2);
    ConfigMap snapshot = client.configMaps().inNamespace(ref[0]).withName(ref[1]).get();
    String now = Instant.now().toString();
    if (snapshot == null) {
      return new AgentReport(desired.revision(), AgentReport.FAILED, "SnapshotMissing", desired.snapshot() + " not found", now);
    }
    byte[] bytes = Base64.getDecoder().decode(snapshot.getBinaryData().get(Snapshots.CONTENT_KEY));
    String actual = ContentGate.sha256Hex(bytes);
    if (!actual.equals(desired.revision())) {
      return new AgentReport(desired.revision(), AgentReport.FAILED, "DigestMismatch", "snapshot holds " + actual, now);
    }
    return new AgentReport(desired.revision(), AgentReport.APPLIED, null, null, now);
  }

  private void writeReport(String name, String channel, AgentReport report) {
    Map<String, Object> labels = new LinkedHashMap<>();
    labels.put(NodeKeys.reported(channel), report == null ? null : NodeKeys.shortRevision(report.revision()));
    Map<String, Object> annotations = new LinkedHashMap<>();
    annotations.put(NodeKeys.reported(channel), report == null ? null : NodeKeys.toJson(report));
    client.nodes().withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
        NodeKeys.toJson(Map.of("metadata", Map.of("labels", labels, "annotations", annotations))));
  }

  @Override
  public void close() {
    informer.close();
    for (String name : nodes) {
      client.nodes().withName(name).delete();
    }
  }
}
