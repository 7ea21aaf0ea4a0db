package io.wavegate.plugin;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.HistoryStatus;
import io.wavegate.api.RolloutAction;
import io.wavegate.contract.Digests;
import io.wavegate.contract.SnapshotFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code kubectl wavegate undo}: what going back to an earlier revision takes, decided from the rollout and its
 * snapshots, before anything is written. Pure: the rollout, the options and a lookup of snapshots in, a
 * refusal that says why, or the one merge patch, out.
 *
 * <ul>
 *   <li>By default the revision goes out again as a new rollout through the waves and the gate, its bytes read
 *       from the operator's snapshot of it (the gate checked them once; it checks them again).
 *   <li>{@code --fast} takes the revocation path: the revision in flight is revoked and every node goes back to
 *       the stable revision at once, as abort does. It works only for that: a stable revision cannot be revoked.
 *   <li>A revision that failed before is refused unless {@code --force}, which also retries it.
 * </ul>
 */
final class Undo {

  private Undo() {}

  /** What undo does, or why it does not. */
  sealed interface Outcome permits Refused, Patch {}

  record Refused(String why) implements Outcome {}

  /** @param patch a JSON merge patch of the ContentRollout; {@code said} what the command prints after it */
  record Patch(String patch, String said) implements Outcome {}

  static Outcome plan(ContentRollout rollout, String toRevision, boolean force, boolean fast,
      Function<String, Optional<HasMetadata>> snapshotOf) {
    String name = rollout.getMetadata().getName();
    String current = rollout.getSpec().getContent().getSha256();
    ContentRolloutStatus status = rollout.getStatus() == null ? new ContentRolloutStatus() : rollout.getStatus();
    List<HistoryStatus> history = status.getHistory() == null ? List.of() : status.getHistory();
    if (toRevision != null && !toRevision.matches("[0-9a-f]{12,64}")) {
      return new Refused("--to-revision takes the sha256 of a revision, or at least its first 12 hex: " + toRevision);
    }
    if (fast) {
      return fast(name, status, toRevision);
    }
    Optional<String> target = toRevision != null ? inHistory(history, status.getStableDigest(), toRevision)
        : lastSucceededBefore(history, current);
    if (target.isEmpty()) {
      return new Refused(toRevision != null ? "no revision " + toRevision + " in the history of " + name
          + " (kubectl wavegate history " + name + ")" : "no earlier revision of " + name + " succeeded"
          + " (kubectl wavegate history " + name + "); name one with --to-revision");
    }
    String revision = target.get();
    if (revision.equals(current)) {
      return new Refused(Digests.shortRevision(revision) + " is the revision " + name + " rolls out now");
    }
    boolean failedBefore = status.getFailedRevisions() != null && status.getFailedRevisions().contains(revision);
    if (failedBefore && !force) {
      return new Refused("revision " + Digests.shortRevision(revision) + " failed before" + howItEnded(history, revision)
          + "; --force rolls it out again (and retries it)");
    }
    Optional<HasMetadata> snapshot = snapshotOf.apply(revision);
    if (snapshot.isEmpty()) {
      return new Refused("the snapshot of " + Digests.shortRevision(revision) + " (" + SnapshotFormat.name(name, revision)
          + ") is gone: the operator keeps the last few revisions' snapshots only; roll it out from its source"
          + " (content.source and content.sha256)");
    }
    return new Patch(Serialization.asJson(patch(rollout, revision, snapshot.get(), failedBefore)),
        "undo: " + Digests.shortRevision(revision) + " goes out again through the waves, from its snapshot "
            + snapshot.get().getMetadata().getNamespace() + "/" + snapshot.get().getMetadata().getName()
            + (failedBefore ? " (retried: it failed before)" : ""));
  }

  private static Outcome fast(String name, ContentRolloutStatus status, String toRevision) {
    String stable = status.getStableDigest();
    boolean inFlight = status.getPhase() != null && status.getPhase().inFlight();
    if (!inFlight || stable == null) {
      return new Refused("--fast goes back through the revocation, which returns the nodes of a revision in flight to"
          + " the stable revision; " + name + " has " + (stable == null ? "no stable revision" : "no revision in flight"
          + " (the stable one, " + Digests.shortRevision(stable) + ", cannot be revoked)")
          + ": undo without --fast rolls an earlier revision out through the waves");
    }
    if (toRevision != null && !stable.startsWith(toRevision)) {
      return new Refused("--fast goes back to the stable revision " + Digests.shortRevision(stable) + " only, not to "
          + toRevision);
    }
    return new Patch(Steer.annotation(RolloutAction.ABORT), "undo --fast: the revision in flight is revoked; every"
        + " node goes back to " + Digests.shortRevision(stable) + " at once");
  }

  /** The revision the history names by this prefix (the stable one too). */
  private static Optional<String> inHistory(List<HistoryStatus> history, String stable, String prefix) {
    List<String> known = new ArrayList<>();
    history.forEach(h -> known.add(h.getRevision()));
    if (stable != null) {
      known.add(stable);
    }
    return known.stream().filter(r -> r != null && r.startsWith(prefix)).findFirst();
  }

  /** The newest revision that succeeded and is not the one rolling out now. */
  private static Optional<String> lastSucceededBefore(List<HistoryStatus> history, String current) {
    for (int i = history.size() - 1; i >= 0; i--) {
      HistoryStatus h = history.get(i);
      if ("Succeeded".equals(h.getOutcome()) && h.getRevision() != null && !h.getRevision().equals(current)) {
        return Optional.of(h.getRevision());
      }
    }
    return Optional.empty();
  }

  private static String howItEnded(List<HistoryStatus> history, String revision) {
    return history.stream().filter(h -> revision.equals(h.getRevision())).reduce((a, b) -> b)
        .map(h -> " (" + h.getOutcome() + (h.getReason() == null ? "" : ": " + h.getReason()) + ")").orElse("");
  }

  /** The content pointed at the snapshot: its bytes, file name and signature as the operator kept them. */
  private static Map<String, Object> patch(ContentRollout rollout, String revision, HasMetadata snapshot,
      boolean retry) {
    Map<String, String> notes = snapshot.getMetadata().getAnnotations() == null ? Map.of()
        : snapshot.getMetadata().getAnnotations();
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("configMapRef", null);
    source.put("secretRef", null);
    source.put("oci", null);
    if (notes.containsKey(SnapshotFormat.OCI_REFERENCE_ANNOTATION)) {
      var oci = rollout.getSpec().getContent().getSource().getOci();
      Map<String, Object> ref = new LinkedHashMap<>();
      ref.put("reference", notes.get(SnapshotFormat.OCI_REFERENCE_ANNOTATION));
      if (oci != null && oci.getFile() != null) {
        ref.put("file", oci.getFile());
      }
      source.put("oci", ref);
    } else {
      Map<String, Object> ref = new LinkedHashMap<>();
      ref.put("namespace", snapshot.getMetadata().getNamespace());
      ref.put("name", snapshot.getMetadata().getName());
      ref.put("key", SnapshotFormat.CONTENT_KEY);
      source.put(snapshot instanceof Secret ? "secretRef" : "configMapRef", ref);
    }
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("sha256", revision);
    content.put("source", source);
    if (notes.containsKey(SnapshotFormat.FILE_NAME_ANNOTATION)) {
      content.put("fileName", notes.get(SnapshotFormat.FILE_NAME_ANNOTATION));
    }
    if (notes.containsKey(SnapshotFormat.SIGNATURE_ANNOTATION)) {
      Map<String, Object> signature = new LinkedHashMap<>();
      signature.put("algorithm", notes.get(SnapshotFormat.SIGNATURE_ALGORITHM_ANNOTATION));
      signature.put("value", notes.get(SnapshotFormat.SIGNATURE_ANNOTATION));
      signature.put("keyId", notes.get(SnapshotFormat.SIGNATURE_KEY_ID_ANNOTATION));
      content.put("signature", signature);
    } else {
      content.put("signature", null);
    }
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("spec", Map.of("content", content));
    if (retry) {
      patch.put("metadata", Map.of("annotations", Map.of(RolloutAction.RETRY.annotation(), "true")));
    }
    return patch;
  }
}
