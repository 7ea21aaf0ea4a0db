package io.wavegate.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.ContentBytes;
import io.wavegate.contract.ContentFileNames;
import io.wavegate.contract.Digests;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.NodeContents;
import io.wavegate.contract.Revocation;
import io.wavegate.contract.SignatureAlgorithm;
import io.wavegate.contract.Signatures;
import io.wavegate.contract.SnapshotFormat;
import io.wavegate.contract.oci.OciException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a {@link ChannelAction} without deciding anything: fetch the snapshot, verify its
 * digest (and, given trusted keys, the publisher's signature), write it atomically with its state,
 * run the apply hook, report. A new revision and a restored stable one go through the same steps;
 * they differ only where the contract says so (a new revision is tentative and its hook may refuse
 * it; a restored stable revision is confirmed and the revoked file is not kept).
 */
final class ChannelExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelExecutor.class);

  private final KubernetesClient client;
  private final String nodeName;
  private final ContentStore store;
  private final Guard guard;
  private final Optional<TrustedKeyFiles> trustedKeys;
  private final Optional<ApplyHook> hook;
  private final RegistryPull registry;
  private final Clock clock;
  private final AgentMetrics metrics;
  /** A tentative revision's confirmation, scheduled for its confirmAt. */
  private final BiConsumer<String, ChannelState> scheduleConfirmation;
  /** This agent's own latest report writes, by channel: the informer's view can be a moment behind them. */
  private final Map<String, OwnReport> ownReports = new java.util.concurrent.ConcurrentHashMap<>();

  ChannelExecutor(KubernetesClient client, String nodeName, ContentStore store, Guard guard,
      Optional<TrustedKeyFiles> trustedKeys, Optional<ApplyHook> hook, RegistryPull registry, Clock clock,
      AgentMetrics metrics, BiConsumer<String, ChannelState> scheduleConfirmation) {
    this.client = client;
    this.registry = registry;
    this.nodeName = nodeName;
    this.store = store;
    this.guard = guard;
    this.trustedKeys = trustedKeys;
    this.hook = hook;
    this.clock = clock;
    this.metrics = metrics;
    this.scheduleConfirmation = scheduleConfirmation;
  }

  /** Carries out {@code action}; returns the channel's report after it (empty: none). */
  Optional<AgentReport> execute(String channel, ChannelAction action, Optional<AgentReport> reported)
      throws IOException {
    if (action instanceof ChannelAction.SaveState save) {
      store.saveState(channel, save.state());
      return reported;
    }
    if (action instanceof ChannelAction.Report report) {
      report(channel, report.report());
      logOutcome(channel, report.report());
      return Optional.of(report.report());
    }
    if (action instanceof ChannelAction.Remove remove) {
      store.remove(channel);
      if (remove.withReport()) {
        report(channel, null);
        LOG.info("channel {}: assignment removed, content removed", channel);
      }
      return Optional.empty();
    }
    if (action instanceof ChannelAction.Apply apply) {
      AgentReport outcome = apply(channel, apply.assignment());
      metrics.count(outcome.reason() == null ? AgentReport.APPLIED : outcome.reason());
      report(channel, outcome);
      logOutcome(channel, outcome);
      return Optional.of(outcome);
    }
    if (action instanceof ChannelAction.Revert revert) {
      return revert(channel, revert.revocation(), revert.how(), revert.revoked());
    }
    return reported; // Nothing
  }

  /** A new revision: tentative until confirmAfter, and the consumer's hook may refuse it. */
  private AgentReport apply(String channel, Assignment desired) throws IOException {
    String revision = desired.revision();
    Fetched fetched = fetch(channel, revision, desired.snapshot(), desired.secretSnapshot());
    if (fetched.refusal() != null) {
      return fetched.refusal();
    }
    Instant now = clock.instant();
    ChannelState state = ChannelState.applied(revision, now, guard.bootId(), now.plus(desired.confirmAfterDuration()));
    Optional<AgentReport> unwritten = write(channel, revision, fetched, state);
    if (unwritten.isPresent()) {
      return unwritten.get();
    }
    Optional<String> refusal = runHook(channel, revision);
    if (refusal.isPresent()) {
      Optional<Path> previous = store.previous(channel);
      String restored = store.restorePrevious(channel);
      String message = refusal.get() + "; " + (previous.isPresent() ? "restored the previous file, revision "
          + Digests.shortRevision(restored) : "removed the file: the node had no content before");
      store.saveState(channel, ChannelState.refused(revision, AgentReport.HOOK_FAILED, message, restored,
          clock.instant()));
      return failed(revision, AgentReport.HOOK_FAILED, message);
    }
    if (state.tentative()) {
      scheduleConfirmation.accept(channel, state);
    }
    return ChannelDecider.applied(revision, state, clock.instant());
  }

  /**
   * The channel's revocation: the stable revision goes back on disk now, from the kept previous file
   * when that is the stable revision (its bytes checked against the digest and, given trusted keys,
   * the signature the revocation carries), else from the stable snapshot, checked as any delivery; or
   * the file is removed when there is no stable revision. Reported at once; the operator's per-node
   * write follows.
   */
  private Optional<AgentReport> revert(String channel, Revocation revocation, Revocation.Verdict how, String revoked)
      throws IOException {
    long started = System.nanoTime();
    if (how == Revocation.Verdict.REMOVE) {
      store.remove(channel);
      metrics.count(AgentMetrics.REVERTED);
      report(channel, null);
      LOG.info("channel {}: revision {} revoked and the channel has no stable revision: file removed", channel,
          Digests.shortRevision(revoked));
      return Optional.empty();
    }
    Revocation.Stable stable = revocation.stable().orElseThrow();
    String from;
    Optional<Path> kept = store.previous(channel);
    if (how == Revocation.Verdict.RESTORE_PREVIOUS && kept.isPresent() && (trustedKeys.isEmpty()
        || verifySignature(stable.revision(), "kept as " + kept.get(), ContentBytes.of(kept.get()),
            signatureAnnotations(stable)).isEmpty())) {
      store.restorePrevious(channel);
      from = "the kept previous file";
    } else {
      Fetched fetched = fetch(channel, stable.revision(), stable.snapshot(), stable.secretSnapshot());
      Optional<AgentReport> unwritten = fetched.refusal() != null ? Optional.of(fetched.refusal())
          : write(channel, stable.revision(), fetched, ChannelState.NONE);
      if (unwritten.isPresent()) {
        LOG.warn("channel {}: revision {} revoked, but the stable revision cannot be restored: {}", channel,
            Digests.shortRevision(revoked), unwritten.get().message());
        report(channel, unwritten.get());
        return unwritten;
      }
      store.dropPrevious(channel); // the file it replaced is the revoked revision: never kept to come back
      from = "snapshot " + stable.snapshot();
    }
    Instant now = clock.instant();
    ChannelState state = new ChannelState(stable.revision(), now, guard.bootId(), null, now, null, null, null);
    store.saveState(channel, state);
    metrics.count(AgentMetrics.REVERTED);
    LOG.info("channel {}: revision {} revoked; stable revision {} restored from {} in {} ms", channel,
        Digests.shortRevision(revoked), Digests.shortRevision(stable.revision()), from,
        (System.nanoTime() - started) / 1_000_000);
    runHook(channel, stable.revision()).ifPresent(refusal -> LOG.warn("channel {}: the apply hook refused the restored"
        + " stable revision {} ({}); it stays: a revoked revision never comes back", channel,
        Digests.shortRevision(stable.revision()), refusal));
    AgentReport applied = ChannelDecider.applied(stable.revision(), state, now);
    report(channel, applied);
    return Optional.of(applied);
  }

  /**
   * A snapshot's content staged on disk beside the channel's file, with the snapshot's annotations,
   * checked against the revision (and signature) wanted; or why not (nothing staged then).
   */
  private record Fetched(Path staged, Map<String, String> annotations, AgentReport refusal) {}

  private Fetched fetch(String channel, String revision, String snapshotRef, boolean secretSnapshot) throws IOException {
    HasMetadata snapshot = SnapshotFormat.get(client, snapshotRef, secretSnapshot);
    Map<String, String> annotations = snapshot == null || snapshot.getMetadata().getAnnotations() == null ? Map.of()
        : snapshot.getMetadata().getAnnotations();
    Map<String, String> data = snapshot instanceof Secret secret ? secret.getData()
        : snapshot instanceof ConfigMap map ? map.getBinaryData() : null;
    String artifact = annotations.get(SnapshotFormat.OCI_REFERENCE_ANNOTATION);
    if (artifact == null && (data == null || !data.containsKey(SnapshotFormat.CONTENT_KEY))) {
      return refused(null, failed(revision, "SnapshotMissing", "snapshot " + snapshotRef + " not found"));
    }
    byte[] bytes = artifact == null ? Base64.getDecoder().decode(data.get(SnapshotFormat.CONTENT_KEY)) : null;
    if (bytes != null) {
      String actual = Digests.sha256Hex(bytes);
      if (!actual.equals(revision)) {
        return refused(null, failed(revision, "DigestMismatch", "snapshot " + snapshotRef + " holds " + actual
            + ", the assignment says " + revision + "; the file on disk was not replaced"));
      }
    }
    Path staged = null;
    try {
      staged = store.stage(channel);
      if (artifact != null) {
        registry.pull(artifact, revision, staged);
      } else {
        Files.write(staged, bytes);
      }
    } catch (OciException e) {
      // a registry down or refusing is the source's fault, tried again; other bytes than the digest are the content's
      return refused(staged, failed(revision, e.sourceFault() ? AgentReport.REGISTRY_UNAVAILABLE : "DigestMismatch",
          e.getMessage() + "; the file on disk was not replaced"));
    } catch (IOException | RuntimeException e) {
      return refused(staged, failed(revision, "WriteError", e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
    if (trustedKeys.isPresent()) {
      Optional<AgentReport> refusedSignature = verifySignature(revision, snapshotRef, ContentBytes.of(staged),
          annotations);
      if (refusedSignature.isPresent()) {
        return refused(staged, refusedSignature.get());
      }
    }
    return new Fetched(staged, annotations, null);
  }

  private static Fetched refused(Path staged, AgentReport refusal) throws IOException {
    if (staged != null) {
      Files.deleteIfExists(staged);
    }
    return new Fetched(null, null, refusal);
  }

  /** Makes fetched content the channel's file with its state; or why not (the name, the disk). */
  private Optional<AgentReport> write(String channel, String revision, Fetched fetched, ChannelState state)
      throws IOException {
    String fileName = fetched.annotations().getOrDefault(SnapshotFormat.FILE_NAME_ANNOTATION, channel);
    Optional<String> badName = ContentFileNames.problem(fileName);
    if (badName.isPresent()) {
      Files.deleteIfExists(fetched.staged());
      // the content's own fault (its name), not the node's: never written, counted as a content failure
      return Optional.of(failed(revision, AgentReport.INVALID_FILE_NAME, badName.get()
          + "; the file on disk was not replaced"));
    }
    try {
      store.write(channel, fileName, fetched.staged(), state);
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.of(failed(revision, "WriteError", e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
  }

  /** The consumer's apply hook on the channel's current file, if one is configured; its refusal, if any. */
  private Optional<String> runHook(String channel, String revision) throws IOException {
    if (hook.isEmpty()) {
      return Optional.empty();
    }
    Path file = store.current(channel).map(ContentStore.Current::path).orElse(null);
    return hook.get().run(channel, file, revision, store.previous(channel).orElse(null));
  }

  /** Refuses content that is not signed by a key this node trusts; the file on disk stays as it is. */
  private Optional<AgentReport> verifySignature(String revision, String snapshotRef, ContentBytes bytes,
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

  private static Map<String, String> signatureAnnotations(Revocation.Stable stable) {
    Map<String, String> annotations = new HashMap<>();
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

  private AgentReport failed(String revision, String reason, String message) {
    return ChannelDecider.failed(revision, reason, message, clock.instant());
  }

  /** Server-side apply of this channel's entry in the status of its own node's object (removal when null). */
  void report(String channel, AgentReport report) {
    NodeContent written = NodeContents.applyReport(client, nodeName, channel, report);
    ownReports.put(channel, new OwnReport(Optional.ofNullable(report), version(written)));
  }

  /**
   * The channel's report as this agent last knows it: the one in {@code content}, unless that object
   * is older than this agent's own latest write of the report (an event queued before the write's
   * own event arrived). Without this, such an event would make the agent write the same report again.
   */
  Optional<AgentReport> reported(String channel, Optional<NodeContent> content) {
    Optional<AgentReport> seen = content.flatMap(c -> NodeContents.report(c, channel));
    OwnReport own = ownReports.get(channel);
    long seenVersion = content.map(ChannelExecutor::version).orElse(-1L);
    return own != null && seenVersion >= 0 && own.version() > seenVersion ? own.report() : seen;
  }

  /** A report this agent wrote, and the resourceVersion its write gave the node's object. */
  private record OwnReport(Optional<AgentReport> report, long version) {}

  /** The object's resourceVersion as a number (etcd's revision), or -1 where it is not one: then nothing is overlaid. */
  private static long version(NodeContent content) {
    try {
      return content == null || content.getMetadata() == null ? -1
          : Long.parseLong(content.getMetadata().getResourceVersion());
    } catch (NumberFormatException opaque) {
      return -1;
    }
  }

  private static void logOutcome(String channel, AgentReport outcome) {
    LOG.info("channel {}: revision {} {}{}", channel, Digests.shortRevision(outcome.revision()), outcome.state(),
        outcome.reason() != null ? " (" + outcome.reason() + ": " + outcome.message() + ")"
            : outcome.confirmedAt() == null ? " (tentative)" : "");
  }
}
