package io.wavegate.bench;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.ContainerImageBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.contract.NodeContent;
import io.wavegate.cache.CachedNodeContent;
import io.wavegate.cache.PruningStore;
import io.wavegate.contract.NodeContents;
import io.wavegate.sim.Kubelet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Thousands of Node objects whose "agents" answer every assignment at once with an Applied report
 * (no files, no snapshot fetch): the operator's side of the node contract at fleet scale, without
 * thousands of agent processes. Faults are injected as a kubelet would, through Node status.
 */
final class ReportingFleet implements AutoCloseable {

  static final String FLEET_LABEL = "bench";
  /** Splits the fleet into {@link #SLICES} slices, one for each of the benchmark's other rollouts. */
  static final String SLICE_LABEL = "bench-slice";
  static final int SLICES = 49;
  /** What a kubelet reports of its images (up to 50): most of a real Node object's bytes. */
  private static final List<ContainerImage> IMAGES = IntStream.range(0, 40).mapToObj(i -> new ContainerImageBuilder()
      .withNames("registry.example.com/platform/image-" + i + "@sha256:" + "0123456789abcdef".repeat(4),
          "registry.example.com/platform/image-" + i + ":v1." + i)
      .withSizeBytes(50_000_000L + i).build()).toList();

  private final KubernetesClient client;
  private final Set<String> channels = new CopyOnWriteArraySet<>();
  private final ExecutorService writers = Executors.newFixedThreadPool(32);
  /** The revision whose report is on its way, by node and channel. */
  private final Map<String, String> reporting = new ConcurrentHashMap<>();
  private final AssignmentListener listener;
  private SharedIndexInformer<NodeContent> informer;

  /** Sees every change of a node's assigned revision, as the watch delivers it. */
  interface AssignmentListener {
    void assigned(String channel, String node, Assignment assignment);
  }

  ReportingFleet(KubernetesClient client, AssignmentListener listener) {
    this.client = client;
    this.listener = listener;
  }

  /**
   * Creates the nodes, Ready, {@code pools} in order with the given sizes, each with one running pod
   * labelled {@code app=sensor} in {@code podNamespace} (what a crashingPodSelector watches); waits
   * until all exist.
   */
  void create(Map<String, Integer> pools, String podNamespace) throws Exception {
    List<Future<?>> created = new ArrayList<>();
    pools.forEach((pool, size) -> {
      for (int i = 0; i < size; i++) {
        String name = pool + "-" + i;
        String slice = String.valueOf(i % SLICES);
        created.add(writers.submit(() -> {
          client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).addToLabels("wavegate.io/pool", pool)
              .addToLabels(FLEET_LABEL, "true").addToLabels(SLICE_LABEL, slice).endMetadata().build()).create();
          setStatus(name, UUID.randomUUID().toString());
          createSensorPod(name, podNamespace);
        }));
      }
    });
    for (Future<?> future : created) {
      future.get();
    }
  }

  /** Starts watching the fleet's nodes and answering the channels given to {@link #answer}. */
  void start() {
    // pruned like the operator's own cache: the heap figure measures the operator, not this stand-in for agents
    informer = client.resources(NodeContent.class).runnableInformer(0)
        .itemStore(new PruningStore<>(CachedNodeContent::of));
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(NodeContent content) {
        observe(null, content);
      }

      @Override
      public void onUpdate(NodeContent oldContent, NodeContent newContent) {
        observe(oldContent, newContent);
      }

      @Override
      public void onDelete(NodeContent content, boolean unknown) {}
    });
    informer.run();
  }

  /** Answers the assignments of {@code channel} from now on (a node already assigned, at its next change). */
  void answer(String channel) {
    channels.add(channel);
  }

  /** A kernel panic: the node comes back with a new boot ID. */
  void reboot(String node) {
    setStatus(node, UUID.randomUUID().toString());
  }

  private void observe(NodeContent oldContent, NodeContent content) {
    channels.forEach(channel -> observe(oldContent, content, channel));
  }

  private void observe(NodeContent oldContent, NodeContent node, String channel) {
    Optional<Assignment> assignment = NodeContents.assignment(node, channel);
    Optional<Assignment> before = NodeContents.assignment(oldContent, channel);
    if (assignment.isPresent() && !assignment.map(Assignment::revision).equals(before.map(Assignment::revision))) {
      listener.assigned(channel, node.getMetadata().getName(), assignment.get());
    }
    if (assignment.isEmpty()) {
      return;
    }
    String revision = assignment.get().revision();
    boolean reported = NodeContents.report(node, channel).map(r -> r.applied(revision)).orElse(false);
    String name = node.getMetadata().getName();
    if (!reported && !revision.equals(reporting.put(name + "/" + channel, revision))) {
      writers.execute(() -> {
        AgentReport report = new AgentReport(revision, AgentReport.APPLIED, null, null, Instant.now().toString());
        client.resources(NodeContent.class).withName(name).subresource("status").patch(
            new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager(NodeContents.agentManager(channel)).withForce(true).build(),
            Serialization.asJson(NodeContents.reportApply(name, channel, report)));
      });
    }
  }

  private void createSensorPod(String node, String namespace) {
    Pod pod = client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName("sensor-" + node)
        .withNamespace(namespace).addToLabels("app", "sensor").endMetadata().withNewSpec().withNodeName(node)
        .addNewContainer().withName("sensor").withImage("sensor:1").endContainer().endSpec().build()).create();
    pod.setStatus(new PodStatusBuilder().withPhase("Running").addNewContainerStatus().withName("sensor")
        .withImage("sensor:1").withImageID("").withReady(true).withRestartCount(0).withNewState().withNewRunning()
        .withStartedAt(Instant.now().toString()).endRunning().endState().endContainerStatus().build());
    client.pods().inNamespace(namespace).resource(pod).updateStatus();
  }

  private void setStatus(String name, String bootId) {
    Kubelet.reportStatus(client, name, true, bootId, IMAGES);
  }


  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    writers.shutdownNow();
  }
}
