package io.wavegate.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.ContentFileNames;
import io.wavegate.contract.ContentRevocation;
import io.wavegate.contract.Revocation;
import io.wavegate.contract.Digests;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.NodeContents;
import io.wavegate.contract.SignatureAlgorithm;
import io.wavegate.contract.Signatures;
import io.wavegate.contract.SnapshotFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
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
 */
public final class NodeAgent implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);

  private final KubernetesClient client;
  private final AgentSettings settings;
  private final ContentStore store;
  private final Guard guard;
  private final Optional<TrustedKeyFiles> trustedKeys;
  private final Optional<ApplyHook> hook;
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
    this.trustedKeys = Optional.ofNullable(settings.trustedKeysDir()).map(TrustedKeyFiles::new);
    this.hook = Optional.ofNullable(settings.applyHook()).map(command -> new ApplyHook(command, settings.applyHookTimeout()));
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
          worker.execute(() -> revert(revocation));
        }

        @Override
        public void onUpdate(ContentRevocation oldRevocation, ContentRevocation newRevocation) {
          worker.execute(() -> revert(newRevocation));
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
      try {
        reconcile(content, channel);
      } catch (RuntimeException | IOException e) {
        LOG.warn("channel {}: {}", channel, e.getMessage());
      }
    }
  }

  private void reconcile(NodeContent content, String channel) throws IOException {
    Optional<Revocation> revocation = revocation(channel);
    if (revocation.isPresent()) {
      revert(revocation.get());
    }
    Optional<Assignment> desired = NodeContents.assignment(content, channel);
    Optional<AgentReport> reported = NodeContents.report(content, channel);
    if (desired.isPresent() && revocation.map(r -> r.revokes(desired.get().revision())).orElse(false)) {
      return; // revoked: never applied, whatever the assignment still says; the operator's next write moves it
    }
    if (desired.isEmpty()) {
      store.remove(channel);
      if (reported.isPresent()) {
        report(channel, null);
        LOG.info("channel {}: assignment removed, content removed", channel);
      }
      return;
    }
    String revision = desired.get().revision();
    ChannelState state = store.state(channel);
    if (state.refusedRevision() != null && !state.refuses(revision)) {
      state = state.forgetRefusal();
      store.saveState(channel, state);
    }
    if (state.refuses(revision)) {
      // taken back on this node (a reboot while tentative, the hook refused it): never applied again on its own
      if (!reported.map(r -> r.failed(revision)).orElse(false)) {
        report(channel, failed(revision, state.refusedReason(), state.refusedMessage()));
      }
      return;
    }
    Optional<ContentStore.Current> onDisk = store.current(channel);
    boolean inPlace = onDisk.map(c -> c.revision().equals(revision)).orElse(false);
    if (inPlace && !revision.equals(state.revision())) {
      // in place already (a restart, or an upgrade from an agent without state): it has been running, so confirmed
      state = new ChannelState(revision, null, null, null, clock.instant(), null, null, null);
      store.saveState(channel, state);
    }
    if (inPlace && reported.map(r -> r.applied(revision)).orElse(false)
        && Objects.equals(reported.get().confirmedAt(), text(state.confirmedAt()))) {
      return;
    }
    if (!inPlace && reported.map(r -> r.failed(revision) && !(r.nodeFault(revision) && due(r))).orElse(false)) {
      return; // the content failed here (the operator decides), or a node-local fault not due for a retry
    }
    AgentReport outcome = inPlace ? applied(revision, state) : apply(channel, desired.get());
    if (!inPlace) {
      metrics.count(outcome.reason() == null ? AgentReport.APPLIED : outcome.reason());
    }
    report(channel, outcome);
    LOG.info("channel {}: revision {} {}{}", channel, Digests.shortRevision(revision), outcome.state(),
        outcome.reason() != null ? " (" + outcome.reason() + ": " + outcome.message() + ")"
            : outcome.confirmedAt() == null ? " (tentative)" : "");
  }

  /** A snapshot's bytes with its annotations, checked against the revision (and signature) wanted; or why not. */
  private record Fetched(byte[] bytes, Map<String, String> annotations, AgentReport refusal) {}

  private Fetched fetch(String revision, String snapshotRef, boolean secretSnapshot) throws IOException {
    HasMetadata snapshot = SnapshotFormat.get(client, snapshotRef, secretSnapshot);
    Map<String, String> data = snapshot instanceof Secret secret ? secret.getData()
        : snapshot instanceof ConfigMap map ? map.getBinaryData() : null;
    if (data == null || !data.containsKey(SnapshotFormat.CONTENT_KEY)) {
      return new Fetched(null, null, failed(revision, "SnapshotMissing", "snapshot " + snapshotRef + " not found"));
    }
    byte[] bytes = Base64.getDecoder().decode(data.get(SnapshotFormat.CONTENT_KEY));
    String actual = Digests.sha256Hex(bytes);
    if (!actual.equals(revision)) {
      return new Fetched(null, null, failed(revision, "DigestMismatch", "snapshot " + snapshotRef + " holds " + actual
          + ", the assignment says " + revision + "; the file on disk was not replaced"));
    }
    Map<String, String> annotations = snapshot.getMetadata().getAnnotations() == null ? Map.of()
        : snapshot.getMetadata().getAnnotations();
    if (trustedKeys.isPresent()) {
      Optional<AgentReport> refused = verifySignature(revision, snapshotRef, bytes, annotations);
      if (refused.isPresent()) {
        return new Fetched(null, null, refused.get());
      }
    }
    return new Fetched(bytes, annotations, null);
  }

  private AgentReport apply(String channel, Assignment desired) throws IOException {
    String revision = desired.revision();
    Fetched fetched = fetch(revision, desired.snapshot(), desired.secretSnapshot());
    if (fetched.refusal() != null) {
      return fetched.refusal();
    }
    byte[] bytes = fetched.bytes();
    Map<String, String> annotations = fetched.annotations();
    String fileName = annotations.getOrDefault(SnapshotFormat.FILE_NAME_ANNOTATION, channel);
    Optional<String> badName = ContentFileNames.problem(fileName);
    if (badName.isPresent()) {
      // the content's own fault (its name), not the node's: never written, counted as a content failure
      return failed(revision, AgentReport.INVALID_FILE_NAME, badName.get() + "; the file on disk was not replaced");
    }
    Instant now = clock.instant();
    ChannelState state = ChannelState.applied(revision, now, guard.bootId(), now.plus(desired.confirmAfterDuration()));
    Path file;
    try {
      file = store.write(channel, fileName, bytes, state);
    } catch (IOException | RuntimeException e) {
      return failed(revision, "WriteError", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    if (hook.isPresent()) {
      Optional<Path> previous = store.previous(channel);
      Optional<String> refusal = hook.get().run(channel, file, revision, previous.orElse(null));
      if (refusal.isPresent()) {
        String restored = store.restorePrevious(channel);
        String message = refusal.get() + "; " + (previous.isPresent() ? "restored the previous file, revision "
            + Digests.shortRevision(restored) : "removed the file: the node had no content before");
        store.saveState(channel, ChannelState.refused(revision, AgentReport.HOOK_FAILED, message, restored,
            clock.instant()));
        return failed(revision, AgentReport.HOOK_FAILED, message);
      }
    }
    if (state.tentative()) {
      scheduleConfirmation(channel, state);
    }
    return applied(revision, state);
  }

  /** Refuses content that is not signed by a key this node trusts; the file on disk stays as it is. */
  private Optional<AgentReport> verifySignature(String revision, String snapshotRef, byte[] bytes,
      Map<String, String> annotations) throws IOException {
    String signature = annotations.get(SnapshotFormat.SIGNATURE_ANNOTATION);
    if (signature == null || signature.isBlank()) {
      return Optional.of(failed(revision, AgentReport.UNSIGNED, "this node requires a publisher signature (trusted keys"
          + " in " + trustedKeys.get().dir() + ") and snapshot " + snapshotRef + " carries none; the file on disk"
          + " was not replaced"));
    }
    Optional<SignatureAlgorithm> algorithm = SignatureAlgorithm.of(
        annotations.get(SnapshotFormat.SIGNATURE_ALGORITHM_ANNOTATION));
    if (algorithm.isEmpty()) {
      return Optional.of(failed(revision, AgentReport.BAD_SIGNATURE, "snapshot " + snapshotRef + " names signature"
          + " algorithm " + annotations.get(SnapshotFormat.SIGNATURE_ALGORITHM_ANNOTATION)
          + ", not Ed25519 or ECDSA-P256-SHA256; the file on disk was not replaced"));
    }
    Signatures.Check check = Signatures.verify(bytes, algorithm.get(), signature,
        annotations.get(SnapshotFormat.SIGNATURE_KEY_ID_ANNOTATION), trustedKeys.get().read());
    if (check.verified()) {
      return Optional.empty();
    }
    return Optional.of(failed(revision, AgentReport.BAD_SIGNATURE, "snapshot " + snapshotRef + ": " + check.message()
        + " (keys trusted by this node, in " + trustedKeys.get().dir() + "); the file on disk was not replaced"));
  }

  private Optional<Revocation> revocation(String channel) {
    SharedIndexInformer<ContentRevocation> watching = revocations;
    return watching == null ? Optional.empty() : Revocation.of(watching.getStore().getByKey(channel));
  }

  /**
   * The channel's revocation: when this node holds a revoked revision, the stable one goes back on
   * disk now, from the kept previous file when that is the stable revision (its bytes checked against
   * the digest and, given trusted keys, the signature the revocation carries), else from the stable
   * snapshot, checked the same way. Reported at once; the operator's per-node write follows.
   */
  void revert(ContentRevocation object) {
    Revocation.of(object).ifPresent(revocation -> {
      try {
        revert(revocation);
      } catch (IOException | RuntimeException e) {
        LOG.warn("channel {}: cannot act on its revocation: {}", revocation.channel(), e.toString());
      }
    });
  }

  private void revert(Revocation revocation) throws IOException {
    String channel = revocation.channel();
    Optional<ContentStore.Current> current = store.current(channel);
    Optional<Path> previousFile = store.previous(channel);
    Optional<String> previous = previousFile.map(this::digestOf);
    Revocation.Verdict verdict = revocation.verdict(current.map(ContentStore.Current::revision), previous);
    if (verdict == Revocation.Verdict.KEEP) {
      return;
    }
    long started = System.nanoTime();
    String revoked = current.get().revision();
    if (verdict == Revocation.Verdict.REMOVE) {
      store.remove(channel);
      metrics.count(AgentMetrics.REVERTED);
      report(channel, null);
      LOG.info("channel {}: revision {} revoked and the channel has no stable revision: file removed", channel,
          Digests.shortRevision(revoked));
      return;
    }
    Revocation.Stable stable = revocation.stable().orElseThrow();
    Optional<AgentReport> refused = Optional.empty();
    String from;
    if (verdict == Revocation.Verdict.RESTORE_PREVIOUS && (trustedKeys.isEmpty()
        || verifySignature(stable.revision(), "kept as " + previousFile.get(), Files.readAllBytes(previousFile.get()),
            signatureAnnotations(stable)).isEmpty())) {
      store.restorePrevious(channel);
      from = "the kept previous file";
    } else {
      Fetched fetched = fetch(stable.revision(), stable.snapshot(), stable.secretSnapshot());
      refused = Optional.ofNullable(fetched.refusal());
      if (refused.isEmpty()) {
        store.write(channel, fetched.annotations().getOrDefault(SnapshotFormat.FILE_NAME_ANNOTATION, channel),
            fetched.bytes(), ChannelState.NONE);
        store.dropPrevious(channel); // the file it replaced is the revoked revision: never kept to come back
      }
      from = "snapshot " + stable.snapshot();
    }
    if (refused.isPresent()) {
      LOG.warn("channel {}: revision {} revoked, but the stable revision cannot be restored: {}", channel,
          Digests.shortRevision(revoked), refused.get().message());
      report(channel, refused.get());
      return;
    }
    Instant now = clock.instant();
    ChannelState state = new ChannelState(stable.revision(), now, guard.bootId(), null, now, null, null, null);
    store.saveState(channel, state);
    metrics.count(AgentMetrics.REVERTED);
    LOG.info("channel {}: revision {} revoked; stable revision {} restored from {} in {} ms", channel,
        Digests.shortRevision(revoked), Digests.shortRevision(stable.revision()), from,
        (System.nanoTime() - started) / 1_000_000);
    if (hook.isPresent()) {
      Path restored = store.current(channel).map(ContentStore.Current::path).orElse(null);
      hook.get().run(channel, restored, stable.revision(), null).ifPresent(refusal -> LOG.warn("channel {}: the apply"
          + " hook refused the restored stable revision {} ({}); it stays: a revoked revision never comes back",
          channel, Digests.shortRevision(stable.revision()), refusal));
    }
    report(channel, applied(stable.revision(), state));
  }

  private static Map<String, String> signatureAnnotations(Revocation.Stable stable) {
    Map<String, String> annotations = new java.util.HashMap<>();
    if (stable.signature() != null) {
      annotations.put(SnapshotFormat.SIGNATURE_ANNOTATION, stable.signature());
    }
    if (stable.algorithm() != null) {
      annotations.put(SnapshotFormat.SIGNATURE_ALGORITHM_ANNOTATION, stable.algorithm());
    }
    if (stable.keyId() != null) {
      annotations.put(SnapshotFormat.SIGNATURE_KEY_ID_ANNOTATION, stable.keyId());
    }
    return annotations;
  }

  private String digestOf(Path file) {
    try {
      return Digests.sha256Hex(Files.readAllBytes(file));
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
        report(channel, applied(revision, store.state(channel)));
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("channel {}: cannot confirm revision {} yet: {}; the next resync reports it", channel,
          Digests.shortRevision(revision), e.getMessage());
    }
  }

  /** A node-local fault (the disk, the snapshot fetch) is tried again once per resync interval: it may be gone. */
  private boolean due(AgentReport failed) {
    try {
      return !clock.instant().isBefore(Instant.parse(failed.at()).plus(settings.resync()));
    } catch (RuntimeException unreadable) {
      return true;
    }
  }

  private AgentReport applied(String revision, ChannelState state) {
    boolean known = revision.equals(state.revision());
    return new AgentReport(revision, AgentReport.APPLIED, null, null, clock.instant().toString(),
        known ? text(state.appliedAt()) : null, known ? text(state.confirmedAt()) : null);
  }

  private AgentReport failed(String revision, String reason, String message) {
    return new AgentReport(revision, AgentReport.FAILED, reason, message, clock.instant().toString());
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  /** Server-side apply of this channel's entry in the status of its own node's object (removal when null). */
  private void report(String channel, AgentReport report) {
    NodeContents.applyReport(client, settings.nodeName(), channel, report);
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
