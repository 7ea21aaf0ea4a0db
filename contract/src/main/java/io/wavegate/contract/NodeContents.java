package io.wavegate.contract;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.contract.ChannelAssignment;
import io.wavegate.contract.ChannelReport;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.NodeContentSpec;
import io.wavegate.contract.NodeContentStatus;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The node contract (version 4) as code (docs/node-contract.md): the per-node {@link NodeContent} object, named
 * after its node and owned by it. Each channel's entry is written by server-side apply under a field
 * manager of that channel, so writers of different channels never overwrite each other: the
 * operator's in spec, the agent's in status.
 */
public final class NodeContents {

  private NodeContents() {}

  public static String operatorManager(String channel) {
    return "wavegate-operator." + channel;
  }

  public static String agentManager(String channel) {
    return "wavegate-agent." + channel;
  }

  public static Optional<Assignment> assignment(NodeContent content, String channel) {
    if (content == null || content.getSpec() == null || content.getSpec().getChannels() == null) {
      return Optional.empty();
    }
    return content.getSpec().getChannels().stream().filter(c -> channel.equals(c.getChannel())).findFirst()
        .map(c -> new Assignment(c.getRevision(), c.getWave(), c.getSnapshot(), c.getBootId(),
            Boolean.TRUE.equals(c.getReady()), c.getAssignedAt(), c.getSnapshotKind(), c.getConfirmAfter()))
        .filter(Assignment::wellFormed);
  }

  public static Optional<AgentReport> report(NodeContent content, String channel) {
    if (content == null || content.getStatus() == null || content.getStatus().getChannels() == null) {
      return Optional.empty();
    }
    return content.getStatus().getChannels().stream().filter(c -> channel.equals(c.getChannel())).findFirst()
        .filter(c -> c.getRevision() != null)
        .map(c -> new AgentReport(c.getRevision(), c.getState(), c.getReason(), c.getMessage(), c.getAt(),
            c.getAppliedAt(), c.getConfirmedAt()));
  }

  /** Every channel the object names, assigned or reported. */
  public static Set<String> channels(NodeContent content) {
    Set<String> channels = new TreeSet<>();
    if (content != null && content.getSpec() != null && content.getSpec().getChannels() != null) {
      content.getSpec().getChannels().forEach(c -> channels.add(c.getChannel()));
    }
    if (content != null && content.getStatus() != null && content.getStatus().getChannels() != null) {
      content.getStatus().getChannels().forEach(c -> channels.add(c.getChannel()));
    }
    return channels;
  }

  /**
   * What the operator applies (as {@link #operatorManager}) for one channel on one node: the
   * assignment, or, when empty, nothing for that channel, which removes its entry. The owner
   * reference makes the object go away with its Node.
   */
  public static NodeContent assignmentApply(String node, String nodeUid, String channel, Optional<Assignment> target) {
    NodeContent content = object(node);
    if (nodeUid != null) {
      content.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
          .withName(node).withUid(nodeUid).build()));
    }
    NodeContentSpec spec = new NodeContentSpec();
    spec.setContractVersion(NodeContent.CONTRACT_VERSION);
    // an empty list, not none: the API server reads an empty object as null, and this still releases the entry
    spec.setChannels(target.map(a -> List.of(entry(channel, a))).orElse(List.of()));
    content.setSpec(spec);
    return content;
  }

  /** The operator's write: server-side apply of the channel's assignment on the node (removal when empty). */
  public static NodeContent applyAssignment(KubernetesClient client, String node, String nodeUid, String channel,
      Optional<Assignment> target) {
    return client.resource(assignmentApply(node, nodeUid, channel, target)).fieldManager(operatorManager(channel))
        .forceConflicts().serverSideApply();
  }

  /** An agent's write: server-side apply of the channel's report in its node's object status (removal when null). */
  public static NodeContent applyReport(KubernetesClient client, String node, String channel, AgentReport report) {
    return client.resources(NodeContent.class).withName(node).subresource("status").patch(
        new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager(agentManager(channel))
            .withForce(true).build(), Serialization.asJson(reportApply(node, channel, report)));
  }

  /** What an agent applies to status (as {@link #agentManager}): its report, or, when null, the removal of its entry. */
  public static NodeContent reportApply(String node, String channel, AgentReport report) {
    NodeContent content = object(node);
    NodeContentStatus status = new NodeContentStatus();
    status.setChannels(List.of());
    if (report != null) {
      ChannelReport entry = new ChannelReport();
      entry.setChannel(channel);
      entry.setRevision(report.revision());
      entry.setShortRevision(Digests.shortRevision(report.revision()));
      entry.setState(report.state());
      entry.setReason(report.reason());
      entry.setMessage(report.message() == null || report.message().length() <= 1024 ? report.message()
          : report.message().substring(0, 1024));
      entry.setAt(report.at());
      entry.setAppliedAt(report.appliedAt());
      entry.setConfirmedAt(report.confirmedAt());
      status.setChannels(List.of(entry));
    }
    content.setStatus(status);
    return content;
  }

  private static ChannelAssignment entry(String channel, Assignment a) {
    ChannelAssignment entry = new ChannelAssignment();
    entry.setChannel(channel);
    entry.setRevision(a.revision());
    entry.setShortRevision(Digests.shortRevision(a.revision()));
    entry.setWave(a.wave());
    entry.setSnapshot(a.snapshot());
    entry.setSnapshotKind(a.snapshotKind());
    entry.setBootId(a.bootId());
    entry.setReady(a.ready());
    entry.setAssignedAt(a.assignedAt());
    entry.setConfirmAfter(a.confirmAfter());
    return entry;
  }

  private static NodeContent object(String node) {
    NodeContent content = new NodeContent();
    content.setApiVersion(NodeContent.GROUP + "/" + NodeContent.VERSION);
    content.setKind("NodeContent");
    content.setMetadata(new ObjectMetaBuilder().withName(node).build());
    return content;
  }
}
