package io.wavegate.bench;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.ContainerImageBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.ContentRevocation;
import io.wavegate.contract.Revocation;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.concurrent.atomic.AtomicLong;
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
 * thousands of agent processes. Each node keeps what an agent keeps on disk (the current and the
 * previous revision per channel) and acts on the channel's revocation by the agent's own rule
 * ({@link Revocation#verdict}), each node through a revocation watch of its own as every agent has;
 * the time each node went back is recorded. Faults are injected as a kubelet would, through Node status.
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
  /**
   * Parallel report writers: a real fleet's agents each write for themselves, thousands at once; a
   * handful of threads would throttle the reports below what the API server takes. (The JDK's HTTP/2
   * client fails a request past the API server's 250 streams per connection instead of waiting.)
   */
  static final int AGENT_WRITERS = Integer.getInteger("wavegate.bench.agentWriters", 96);
  private final ExecutorService writers = Executors.newFixedThreadPool(AGENT_WRITERS);
  /** The revision whose report is on its way, by node and channel. */
  private final Map<String, String> reporting = new ConcurrentHashMap<>();
  private final AssignmentListener listener;
  /** Per node and channel, what its disk holds: {current, previous}. */
  private final Map<String, String[]> disks = new ConcurrentHashMap<>();
  /** Per node and channel, when (System.nanoTime) a revocation sent it back to the stable revision. */
  private final Map<String, Long> reverted = new ConcurrentHashMap<>();
  private final Map<String, Long> revertedByAssignment = new ConcurrentHashMap<>();
  private final Map<String, Revocation> revocations = new ConcurrentHashMap<>();
  private final AtomicLong firstRevocationSeen = new AtomicLong();
  private final AtomicLong watchBytes = new AtomicLong();
  private final AtomicLong nodeContentEvents = new AtomicLong();
  private final List<Watch> revocationWatches = new ArrayList<>();
  /** Nodes a real agent runs on: the stand-ins leave them alone. */
  private final Set<String> realAgentNodes = ConcurrentHashMap.newKeySet();
  private final List<String> nodeNames = new ArrayList<>();
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
        nodeNames.add(name);
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

  List<String> nodeNames() {
    return List.copyOf(nodeNames);
  }

  /** A real agent runs on this node: no stand-in answers for it. */
  void leaveToRealAgent(String node) {
    realAgentNodes.add(node);
  }

  /**
   * Opens {@code watches} revocation watches (one per node, as every agent has one, when it equals
   * the fleet's size); watch {@code w} acts for the nodes {@code i} with {@code i % watches == w}.
   */
  void watchRevocations(int watches) {
    List<String> names = nodeNames();
    for (int w = 0; w < watches; w++) {
      List<String> mine = new ArrayList<>();
      for (int i = w; i < names.size(); i += watches) {
        if (!realAgentNodes.contains(names.get(i))) {
          mine.add(names.get(i));
        }
      }
      revocationWatches.add(client.resources(ContentRevocation.class).watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, ContentRevocation object) {
          watchBytes.addAndGet(Serialization.asJson(object).length() + NodeWatchers.EVENT_ENVELOPE_BYTES);
          if (action == Action.DELETED) {
            return;
          }
          Revocation.of(object).ifPresent(revocation -> {
            firstRevocationSeen.compareAndSet(0, System.nanoTime());
            revocations.put(revocation.channel(), revocation);
            mine.forEach(node -> revert(node, revocation));
          });
        }

        @Override
        public void onClose(WatcherException cause) {}
      }));
    }
  }

  /** What an agent does with a revocation, on the simulated disk: the stable revision back at once, then a report. */
  private void revert(String node, Revocation revocation) {
    String key = node + "/" + revocation.channel();
    String[] disk = disks.get(key);
    if (disk == null) {
      return;
    }
    Revocation.Verdict verdict;
    synchronized (disk) {
      verdict = revocation.verdict(Optional.ofNullable(disk[0]), Optional.ofNullable(disk[1]));
      if (verdict == Revocation.Verdict.KEEP) {
        return;
      }
      disk[1] = disk[0];
      disk[0] = revocation.stable().map(Revocation.Stable::revision).orElse(null);
    }
    reverted.put(key, System.nanoTime());
    if (disk[0] != null) {
      report(node, revocation.channel(), disk[0]);
    }
  }

  /**
   * When each node of the channel went back (System.nanoTime), since the last {@link #resetReverts}:
   * through the revocation, or ({@code byAssignment}) through its per-node write.
   */
  Map<String, Long> reverts(String channel, boolean byAssignment) {
    Map<String, Long> times = new java.util.HashMap<>();
    (byAssignment ? revertedByAssignment : reverted).forEach((key, at) -> {
      if (key.endsWith("/" + channel)) {
        times.put(key.substring(0, key.length() - channel.length() - 1), at);
      }
    });
    return times;
  }

  /** How many stand-in nodes hold {@code revision} of the channel on their simulated disk now. */
  long holding(String channel, String revision) {
    return disks.entrySet().stream().filter(e -> e.getKey().endsWith("/" + channel))
        .filter(e -> revision.equals(e.getValue()[0])).count();
  }

  void resetReverts() {
    reverted.clear();
    revertedByAssignment.clear();
    firstRevocationSeen.set(0);
  }

  /** When the first revocation watch saw a revocation (System.nanoTime), 0 before. */
  long firstRevocationSeen() {
    return firstRevocationSeen.get();
  }

  /** Bytes pushed to all revocation watches so far (each event as JSON). */
  long revocationWatchBytes() {
    return watchBytes.get();
  }

  /** Answers the assignments of {@code channel} from now on (a node already assigned, at its next change). */
  void answer(String channel) {
    channels.add(channel);
  }

  /** A kernel panic: the node comes back with a new boot ID. */
  void reboot(String node) {
    setStatus(node, UUID.randomUUID().toString());
  }

  /** NodeContent watch events received so far (each goes to one node's agent). */
  long events() {
    return nodeContentEvents.get();
  }

  private void observe(NodeContent oldContent, NodeContent content) {
    nodeContentEvents.incrementAndGet();
    channels.forEach(channel -> observe(oldContent, content, channel));
  }

  private void observe(NodeContent oldContent, NodeContent node, String channel) {
    Optional<Assignment> assignment = NodeContents.assignment(node, channel);
    Optional<Assignment> before = NodeContents.assignment(oldContent, channel);
    if (assignment.isPresent() && !assignment.map(Assignment::revision).equals(before.map(Assignment::revision))) {
      listener.assigned(channel, node.getMetadata().getName(), assignment.get());
    }
    String name = node.getMetadata().getName();
    if (assignment.isEmpty() || realAgentNodes.contains(name)) {
      return;
    }
    String revision = assignment.get().revision();
    Revocation revocation = revocations.get(channel);
    if (revocation != null && revocation.revokes(revision)) {
      return; // an agent never applies a revoked revision, whatever its assignment still says
    }
    String[] disk = disks.computeIfAbsent(name + "/" + channel, k -> new String[2]);
    synchronized (disk) {
      if (!revision.equals(disk[0])) {
        if (revocation != null && revocation.revokes(disk[0])) {
          // back through its assignment: a node whose revocation watch missed the event
          revertedByAssignment.put(name + "/" + channel, System.nanoTime());
        }
        disk[1] = disk[0];
        disk[0] = revision;
      }
    }
    boolean reported = NodeContents.report(node, channel).map(r -> r.applied(revision)).orElse(false);
    if (!reported) {
      report(name, channel, revision);
    }
  }

  private void report(String name, String channel, String revision) {
    if (revision.equals(reporting.put(name + "/" + channel, revision))) {
      return;
    }
    writers.execute(() -> {
      AgentReport report = new AgentReport(revision, AgentReport.APPLIED, null, null, Instant.now().toString());
      NodeContents.applyReport(client, name, channel, report);
    });
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
    revocationWatches.forEach(Watch::close);
    writers.shutdownNow();
  }
}
