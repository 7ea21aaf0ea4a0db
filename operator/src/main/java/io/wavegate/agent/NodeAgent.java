package io.wavegate.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.NodeContent;
import io.wavegate.delivery.AgentReport;
import io.wavegate.delivery.Assignment;
import io.wavegate.delivery.NodeContents;
import io.wavegate.delivery.NodeKeys;
import io.wavegate.delivery.Snapshots;
import io.wavegate.validation.ContentGate;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node side of the contract (docs/node-contract.md, version 2). Watches only the NodeContent
 * object of its own node; for every channel it makes the disk hold what the operator assigned,
 * verifying the digest itself, and reports the outcome in that object's status. It never writes to
 * a Node. One change at a time, in order.
 */
public final class NodeAgent implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);

  private final KubernetesClient client;
  private final String nodeName;
  private final ContentStore store;
  private final Clock clock;
  private final ExecutorService worker;
  private SharedIndexInformer<NodeContent> informer;

  /** Looks again this often even without a change: a node-local fault (a full disk) is retried then. */
  public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(60);

  private final Duration resync;

  public NodeAgent(KubernetesClient client, String nodeName, ContentStore store, Clock clock) {
    this(client, nodeName, store, clock, DEFAULT_RESYNC);
  }

  public NodeAgent(KubernetesClient client, String nodeName, ContentStore store, Clock clock, Duration resync) {
    this.resync = resync;
    this.client = client;
    this.nodeName = nodeName;
    this.store = store;
    this.clock = clock;
    this.worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "wavegate-agent-" + nodeName);
      t.setDaemon(true);
      return t;
    });
  }

  public NodeAgent start() throws IOException {
    int removed = store.recover();
    if (removed > 0) {
      LOG.info("removed {} partial file(s) left by an earlier crash", removed);
    }
    informer = client.resources(NodeContent.class).withField("metadata.name", nodeName)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(NodeContent content) {
            worker.execute(() -> reconcile(content));
          }

          @Override
          public void onUpdate(NodeContent oldContent, NodeContent newContent) {
            worker.execute(() -> reconcile(newContent));
          }

          @Override
          public void onDelete(NodeContent content, boolean unknown) {
            // goes with its Node; a deletion never wipes content from a node that still runs
          }
        }, resync.toMillis());
    return this;
  }

  /** Brings every channel on this node in line with its assignment. */
  void reconcile(NodeContent content) {
    Set<String> channels = new TreeSet<>(NodeContents.channels(content));
    try {
      channels.addAll(store.channels());
    } catch (IOException e) {
      LOG.warn("cannot list channels on disk: {}", e.getMessage());
    }
    for (String channel : channels) {
      try {
        reconcile(content, channel);
      } catch (RuntimeException | IOException e) {
        LOG.warn("channel {}: {}", channel, e.getMessage());
      }
    }
  }

  private void reconcile(NodeContent content, String channel) throws IOException {
    Optional<Assignment> desired = NodeContents.assignment(content, channel);
    Optional<AgentReport> reported = NodeContents.report(content, channel);
    if (desired.isEmpty()) {
      store.remove(channel);
      if (reported.isPresent()) {
        report(channel, null);
        LOG.info("channel {}: assignment removed, content removed", channel);
      }
      return;
    }
    String revision = desired.get().revision();
    Optional<ContentStore.Current> onDisk = store.current(channel);
    boolean inPlace = onDisk.map(c -> c.revision().equals(revision)).orElse(false);
    if (inPlace && reported.map(r -> r.applied(revision)).orElse(false)) {
      return;
    }
    if (!inPlace && reported.map(r -> r.failed(revision) && !(r.nodeFault(revision) && due(r))).orElse(false)) {
      return; // the content failed here (the operator decides), or a node-local fault not due for a retry
    }
    // in place already (a restart, or an upgrade from contract v1): report it, fetch nothing
    AgentReport outcome = inPlace ? applied(revision) : apply(channel, desired.get());
    report(channel, outcome);
    LOG.info("channel {}: revision {} {}{}", channel, NodeKeys.shortRevision(revision), outcome.state(),
        outcome.reason() == null ? "" : " (" + outcome.reason() + ": " + outcome.message() + ")");
  }

  private AgentReport apply(String channel, Assignment desired) {
    String[] ref = desired.snapshot().split("/", 2);
    HasMetadata snapshot = ref.length != 2 ? null : desired.secretSnapshot()
        ? client.secrets().inNamespace(ref[0]).withName(ref[1]).get()
        : client.configMaps().inNamespace(ref[0]).withName(ref[1]).get();
    Map<String, String> data = snapshot instanceof Secret secret ? secret.getData()
        : snapshot instanceof ConfigMap map ? map.getBinaryData() : null;
    if (data == null || !data.containsKey(Snapshots.CONTENT_KEY)) {
      return failed(desired.revision(), "SnapshotMissing", "snapshot " + desired.snapshot() + " not found");
    }
    byte[] bytes = Base64.getDecoder().decode(data.get(Snapshots.CONTENT_KEY));
    String actual = ContentGate.sha256Hex(bytes);
    if (!actual.equals(desired.revision())) {
      return failed(desired.revision(), "DigestMismatch", "snapshot " + desired.snapshot() + " holds " + actual
          + ", the assignment says " + desired.revision() + "; the file on disk was not replaced");
    }
    String fileName = snapshot.getMetadata().getAnnotations() == null ? null
        : snapshot.getMetadata().getAnnotations().get(Snapshots.FILE_NAME_ANNOTATION);
    try {
      store.write(channel, fileName == null ? channel : fileName, bytes);
      return applied(desired.revision());
    } catch (IOException | RuntimeException e) {
      return failed(desired.revision(), "WriteError", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** A node-local fault (the disk, the snapshot fetch) is tried again once per resync interval: it may be gone. */
  private boolean due(AgentReport failed) {
    try {
      return !clock.instant().isBefore(Instant.parse(failed.at()).plus(resync));
    } catch (RuntimeException unreadable) {
      return true;
    }
  }

  private AgentReport applied(String revision) {
    return new AgentReport(revision, AgentReport.APPLIED, null, null, clock.instant().toString());
  }

  private AgentReport failed(String revision, String reason, String message) {
    return new AgentReport(revision, AgentReport.FAILED, reason, message, clock.instant().toString());
  }

  /** Server-side apply of this channel's entry in the status of its own node's object (removal when null). */
  private void report(String channel, AgentReport report) {
    client.resources(NodeContent.class).withName(nodeName).subresource("status").patch(
        new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
            .withFieldManager(NodeContents.agentManager(channel)).withForce(true).build(),
        Serialization.asJson(NodeContents.reportApply(nodeName, channel, report)));
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    worker.shutdownNow();
  }
}
