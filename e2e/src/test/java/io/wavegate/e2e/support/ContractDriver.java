package io.wavegate.e2e.support;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.Digests;
import io.wavegate.contract.Revocation;
import io.wavegate.contract.SnapshotFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The operator's side of the node contract (docs/node-contract.md), played by a test for one node and
 * one channel: snapshots, assignments, revocations, written by {@code operator}; and the agent's
 * reports, read back by {@code reader}.
 */
public final class ContractDriver {

  private final KubernetesClient operator;
  private final KubernetesClient reader;
  private final String snapshotNamespace;
  private final String node;
  private final String channel;
  private final Duration patience;

  public ContractDriver(KubernetesClient operator, KubernetesClient reader, String snapshotNamespace, String node,
      String channel, Duration patience) {
    this.operator = operator;
    this.reader = reader;
    this.snapshotNamespace = snapshotNamespace;
    this.node = node;
    this.channel = channel;
    this.patience = patience;
  }

  public String channel() {
    return channel;
  }

  /** A snapshot as the operator writes it: the bytes under {@code content}, the file name and extra annotations. */
  public String snapshot(byte[] bytes, String fileName, Map<String, String> annotations) {
    return snapshot(Digests.sha256Hex(bytes), bytes, fileName, annotations);
  }

  /** A snapshot named for {@code digest} holding {@code bytes}: a forged one when they differ. */
  public String snapshot(String digest, byte[] bytes, String fileName, Map<String, String> annotations) {
    String name = SnapshotFormat.name(channel + "-" + node, digest);
    if (operator.configMaps().inNamespace(snapshotNamespace).withName(name).get() == null) {
      operator.configMaps().inNamespace(snapshotNamespace).resource(new ConfigMapBuilder().withNewMetadata()
          .withName(name).withNamespace(snapshotNamespace).addToLabels(SnapshotFormat.CHANNEL_LABEL, channel)
          .addToAnnotations(SnapshotFormat.FILE_NAME_ANNOTATION, fileName).addToAnnotations(annotations).endMetadata()
          .withImmutable(true).addToBinaryData(SnapshotFormat.CONTENT_KEY, Base64.getEncoder().encodeToString(bytes))
          .build()).create();
    }
    return digest;
  }

  /** An OCI snapshot as the operator writes one (node contract v5): no bytes, the artifact the revision's blob is in. */
  public String ociSnapshot(String digest, String reference, String fileName) {
    operator.configMaps().inNamespace(snapshotNamespace).resource(new ConfigMapBuilder().withNewMetadata()
        .withName(SnapshotFormat.name(channel + "-" + node, digest)).withNamespace(snapshotNamespace)
        .addToLabels(SnapshotFormat.CHANNEL_LABEL, channel).addToAnnotations(SnapshotFormat.FILE_NAME_ANNOTATION, fileName)
        .addToAnnotations(SnapshotFormat.OCI_REFERENCE_ANNOTATION, reference).endMetadata().withImmutable(true).build())
        .create();
    return digest;
  }

  /** Assigns the revision (its snapshot made before); {@code confirmAfter} null confirms at once. */
  public void assign(String digest, String confirmAfter) {
    NodeContentWrites.assign(operator, node, channel, Optional.of(new Assignment(digest, "canary",
        snapshotReference(digest), "boot-a", true, Instant.now().toString(), null, confirmAfter)));
  }

  /** Removes the channel's assignment: the node must not hold the channel's content. */
  public void unassign() {
    NodeContentWrites.assign(operator, node, channel, Optional.empty());
  }

  /** Publishes, assigns (confirmed at once) and waits until the agent applied the bytes. */
  public String delivered(byte[] bytes, String fileName) {
    String digest = snapshot(bytes, fileName, Map.of());
    assign(digest, "0s");
    awaitReport(r -> r.applied(digest));
    return digest;
  }

  /** The channel's revocation as the operator writes it, revoking {@code revoked}, back to {@code stable} if any. */
  public void revoke(List<String> revoked, Optional<String> stable) {
    Revocation revocation = new Revocation(channel, revoked, stable.map(s -> new Revocation.Stable(s,
        snapshotReference(s), null, null, null, null)), "revoked by a test");
    operator.resource(revocation.toObject(null)).fieldManager("wavegate-operator").forceConflicts().serverSideApply();
  }

  public Optional<AgentReport> report() {
    return NodeContentWrites.report(reader, node, channel);
  }

  public AgentReport awaitReport(Predicate<AgentReport> condition) {
    return await().atMost(patience).until(() -> report().orElse(null), r -> r != null && condition.test(r));
  }

  public void awaitNoReport() {
    await().atMost(patience).until(() -> report().isEmpty());
  }

  private String snapshotReference(String digest) {
    return SnapshotFormat.reference(snapshotNamespace, channel + "-" + node, digest);
  }
}
