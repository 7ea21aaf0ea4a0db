package io.wavegate.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.ContentRevocation;
import io.wavegate.contract.Revocation;
import io.wavegate.contract.Digests;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.NodeContents;
import io.wavegate.contract.oci.OciRegistryClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node side of the contract (docs/node-contract.md, version 4). Watches the NodeContent object
 * of its own node and the channels' revocations; for every channel it makes the disk hold what the operator assigned,
 * verifying the digest (and, given trusted keys, the publisher's signature) itself, and reports the
 * outcome in that object's status. A new revision stays tentative until the node stayed up with it
 * for the assignment's confirmAfter ({@link Guard}). It never writes to a Node. One change at a time.
 *
 * <p>Every event comes down to one loop per channel: observe (the assignment, the report, the
 * revocation, the disk, the recorded state), let the pure {@link ChannelDecider} choose one action,
 * let the {@link ChannelExecutor} carry it out, and again until nothing is left to do.
 */
public final class NodeAgent implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
  /** More than a channel ever needs in one go (revert, forget a refusal, record, report); a bound, not a budget. */
  static final int MAX_STEPS = 6;
  /** How long a pull waits for the registry to answer; the blob then streams as long as it flows. */
  private static final Duration REGISTRY_TIMEOUT = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final AgentSettings settings;
  private final ContentStore store;
  private final Guard guard;
  private final ChannelExecutor executor;
  private final Clock clock;
  private final AgentMetrics metrics = new AgentMetrics();
  private final ScheduledExecutorService worker;
  private volatile SharedIndexInformer<NodeContent> informer;
  private volatile SharedIndexInformer<ContentRevocation> revocations;

  public NodeAgent(KubernetesClient client, AgentSettings settings, Clock clock) {
    this.client = client;
    this.settings = settings;
    this.clock = clock;
    this.store = new ContentStore(settings.contentDir());
    this.guard = new Guard(store, settings.bootIdFile(), clock);
    this.executor = new ChannelExecutor(client, settings.nodeName(), store, guard,
        Optional.ofNullable(settings.trustedKeysDir()).map(TrustedKeyFiles::new),
        Optional.ofNullable(settings.applyHook()).map(command -> new ApplyHook(command, settings.applyHookTimeout())),
        new RegistryPull(new OciRegistryClient(settings.insecureRegistries(), REGISTRY_TIMEOUT),
            Optional.ofNullable(settings.registryAuthFile())),
        clock, metrics, this::scheduleConfirmation);
    this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "wavegate-agent-" + settings.nodeName());
      t.setDaemon(true);
      return t;
    });
  }

  /** Takes back what did not survive a reboot before anything else, then watches its node's object. */
  public NodeAgent start() throws IOException {
    int removed = store.recover();
    if (removed > 0) {
      LOG.info("removed {} partial file(s) left by an earlier crash", removed);
    }
    guard.run();
    for (String channel : store.channels()) {
      ChannelState state = store.state(channel);
      if (state.tentative()) {
        scheduleConfirmation(channel, state);
      }
    }
    // revocations first: a late agent holding a revoked revision reverts before it looks at its assignment
    try {
      revocations = client.resources(ContentRevocation.class).inform(new ResourceEventHandler<>() {
        @Override
        public void onAdd(ContentRevocation revocation) {
          worker.execute(() -> revoked(revocation));
        }

        @Override
        public void onUpdate(ContentRevocation oldRevocation, ContentRevocation newRevocation) {
          worker.execute(() -> revoked(newRevocation));
        }

        @Override
        public void onDelete(ContentRevocation revocation, boolean unknown) {
          // a revocation withdrawn never moves a node: its assignment does
        }
      }, settings.resync().toMillis());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      // an upgrade that has not applied the new CRD yet: the agent still serves its assignments
      LOG.error("the ContentRevocation CRD is not installed (apply helm/wavegate/crds/): a rollback reaches this node"
          + " through its assignment only, not at once");
    }
    informer = client.resources(NodeContent.class).withField("metadata.name", settings.nodeName())
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
        }, settings.resync().toMillis());
    return this;
  }

  /** Ready once it has seen its node's object as the API server holds it. */
  public boolean ready() {
    SharedIndexInformer<NodeContent> watching = informer;
    SharedIndexInformer<ContentRevocation> revoking = revocations;
    return watching != null && watching.hasSynced() && watching.isRunning()
        && (revoking == null || revoking.hasSynced() && revoking.isRunning());
  }

  public boolean alive() {
    return !worker.isShutdown();
  }

  public String metrics() throws IOException {
    return metrics.render(store);
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
      reconcile(Optional.of(content), channel);
    }
  }

  /** A channel's revocation changed: act on it now, before the operator's per-node write comes. */
  private void revoked(ContentRevocation revocation) {
    SharedIndexInformer<NodeContent> watching = informer;
    Optional<NodeContent> content = watching == null || !watching.hasSynced() ? Optional.empty()
        : Optional.ofNullable(watching.getStore().getByKey(settings.nodeName()));
    reconcile(content, revocation.getMetadata().getName());
  }

  /**
   * Observe the channel, ask {@link ChannelDecider} what to do, let {@link ChannelExecutor} do it, and
   * again, until nothing is left to do. {@code content} is empty while the node's object is not known yet.
   */
  private void reconcile(Optional<NodeContent> content, String channel) {
    Optional<AgentReport> reported = executor.reported(channel, content);
    try {
      for (int step = 0; step < MAX_STEPS; step++) {
        ChannelAction action = ChannelDecider.decide(observe(content, channel, reported));
        if (action instanceof ChannelAction.Nothing) {
          return;
        }
        reported = executor.execute(channel, action, reported);
      }
      LOG.warn("channel {}: still not settled after {} steps; the next event or resync goes on", channel, MAX_STEPS);
    } catch (IOException | RuntimeException e) {
      LOG.warn("channel {}: {}", channel, e.getMessage());
    }
  }

  private ChannelDecider.View observe(Optional<NodeContent> content, String channel, Optional<AgentReport> reported)
      throws IOException {
    Optional<ContentStore.Current> onDisk = store.current(channel);
    Optional<Revocation> revocation = revocation(channel);
    // the kept file's digest matters only to a revocation: hashed then, not at every look
    Optional<String> previous = revocation.isPresent() ? store.previous(channel).map(this::digestOf) : Optional.empty();
    return new ChannelDecider.View(content.isPresent(), content.flatMap(c -> NodeContents.assignment(c, channel)),
        reported, revocation, onDisk.map(ContentStore.Current::revision), previous, store.holds(channel),
        store.state(channel), clock.instant(), settings.resync());
  }

  private Optional<Revocation> revocation(String channel) {
    SharedIndexInformer<ContentRevocation> watching = revocations;
    return watching == null ? Optional.empty() : Revocation.of(watching.getStore().getByKey(channel));
  }

  private String digestOf(Path file) {
    try {
      return Digests.sha256Hex(file);
    } catch (IOException e) {
      return null;
    }
  }

  private void scheduleConfirmation(String channel, ChannelState state) {
    long delay = Math.max(0, Duration.between(clock.instant(), state.confirmAt()).toMillis());
    worker.schedule(() -> confirm(channel, state.revision()), delay, TimeUnit.MILLISECONDS);
  }

  /** The node stayed up with the revision for confirmAfter: it is confirmed, and a later reboot keeps it. */
  private void confirm(String channel, String revision) {
    try {
      ChannelState state = store.state(channel);
      if (!state.tentative() || !revision.equals(state.revision())) {
        return;
      }
      BootAssessment.Verdict verdict = guard.assess(channel, guard.bootId());
      if (verdict == BootAssessment.Verdict.WAIT) {
        scheduleConfirmation(channel, state);
      } else if (verdict == BootAssessment.Verdict.CONFIRM) {
        LOG.info("channel {}: revision {} confirmed: the node stayed up with it", channel,
            Digests.shortRevision(revision));
        executor.report(channel, ChannelDecider.applied(revision, store.state(channel), clock.instant()));
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("channel {}: cannot confirm revision {} yet: {}; the next resync reports it", channel,
          Digests.shortRevision(revision), e.getMessage());
    }
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    if (revocations != null) {
      revocations.close();
    }
    worker.shutdownNow();
  }
}
