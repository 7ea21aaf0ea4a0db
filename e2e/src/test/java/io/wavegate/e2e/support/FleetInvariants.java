package io.wavegate.e2e.support;

import io.wavegate.contract.Digests;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.wavegate.api.ContentRollout;
import io.wavegate.contract.NodeContent;
import io.wavegate.api.WaveStatus;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.NodeContents;
import io.wavegate.sim.OnChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches one channel's fleet (the NodeContent of nodes named &lt;channel&gt;-…) and its rollout the whole time a
 * test runs, and records every break of what wavegate promises:
 *
 * <ul>
 *   <li>a node is given a revision in a wave that was never started for that revision (checked
 *       against every status the rollout ever had: the wave's startedAt must not be after the
 *       assignment);
 *   <li>content the gate must refuse is assigned to any node;
 *   <li>a node is written twice for one revision change (the assignment rewritten with the same
 *       revision);
 *   <li>an agent writes without a change: its report rewritten with nothing new but its time (a
 *       node-local fault, retried each resync by design, excepted).
 * </ul>
 */
public final class FleetInvariants implements AutoCloseable {

  private record Assigned(String node, String revision, String wave, Instant at) {}

  private final String channel;
  private final SharedIndexInformer<NodeContent> nodes;
  private final SharedIndexInformer<ContentRollout> rollouts;
  private final Map<String, Assignment> lastAssignment = new ConcurrentHashMap<>();
  private final Map<String, AgentReport> lastReport = new ConcurrentHashMap<>();
  private final List<Assigned> assigned = new CopyOnWriteArrayList<>();
  private final Map<String, Instant> waveStarted = new ConcurrentHashMap<>();
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  private final List<String> violations = new CopyOnWriteArrayList<>();

  public FleetInvariants(KubernetesClient client, String channel) {
    this.channel = channel;
    this.rollouts = client.resources(ContentRollout.class).withName(channel).inform(OnChange.observe(this::observeRollout));
    this.nodes = client.resources(NodeContent.class).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(NodeContent content) {
        observeContent(content);
      }

      @Override
      public void onUpdate(NodeContent oldContent, NodeContent newContent) {
        observeContent(newContent);
      }

      @Override
      public void onDelete(NodeContent content, boolean unknown) {
        // deleted with its node: an object made again for the same name is a new object, not a rewrite
        lastAssignment.remove(content.getMetadata().getName());
        lastReport.remove(content.getMetadata().getName());
      }
    });
  }

  /** Content the gate must refuse: no node may ever be given it. */
  public void neverAssigned(String digest) {
    refused.add(digest);
  }

  public void violation(String what) {
    violations.add(what);
  }

  /** Everything broken so far, the started-wave rule checked against every status seen. */
  public List<String> violations() {
    List<String> all = new ArrayList<>(violations);
    for (Assigned a : assigned) {
      Instant started = waveStarted.get(a.revision() + "/" + a.wave());
      if (started == null || started.isAfter(a.at())) {
        all.add(a.node() + " was given " + Digests.shortRevision(a.revision()) + " in wave " + a.wave() + " at "
            + a.at() + ", but that wave " + (started == null ? "never started" : "started only at " + started));
      }
    }
    return all;
  }

  private void observeRollout(ContentRollout rollout) {
    if (rollout.getStatus() == null || rollout.getStatus().getRevisionDigest() == null) {
      return;
    }
    for (WaveStatus wave : rollout.getStatus().getWaves()) {
      if (wave.getStartedAt() != null) {
        waveStarted.merge(rollout.getStatus().getRevisionDigest() + "/" + wave.getName(),
            Instant.parse(wave.getStartedAt()), (a, b) -> a.isBefore(b) ? a : b);
      }
    }
  }

  private void observeContent(NodeContent content) {
    String name = content.getMetadata().getName();
    if (!name.startsWith(channel + "-")) {
      return; // another test's node
    }
    AgentReport report = NodeContents.report(content, channel).orElse(null);
    AgentReport reportedBefore = report == null ? lastReport.remove(name) : lastReport.put(name, report);
    // a node-local fault is retried and reported each resync by design (docs/node-contract.md, step 8)
    if (report != null && reportedBefore != null && !report.equals(reportedBefore)
        && !report.nodeLocal()
        && withoutTime(report).equals(withoutTime(reportedBefore))) {
      violations.add("the agent on " + name + " wrote its report again without a change: " + report.state() + " "
          + Digests.shortRevision(report.revision()) + (report.reason() == null ? "" : " " + report.reason()));
    }
    Assignment assignment = NodeContents.assignment(content, channel).orElse(null);
    Assignment before = assignment == null ? lastAssignment.remove(name) : lastAssignment.put(name, assignment);
    if (assignment == null || assignment.equals(before)) {
      return;
    }
    if (before != null && before.revision().equals(assignment.revision())) {
      violations.add(name + " was written twice for revision " + Digests.shortRevision(assignment.revision()));
    }
    if (refused.contains(assignment.revision())) {
      violations.add(name + " was given " + Digests.shortRevision(assignment.revision())
          + ", content the gate must refuse");
    }
    assigned.add(new Assigned(name, assignment.revision(), assignment.wave(), assignment.assignedInstant()));
  }

  private static AgentReport withoutTime(AgentReport report) {
    return new AgentReport(report.revision(), report.state(), report.reason(), report.message(), null,
        report.appliedAt(), report.confirmedAt());
  }

  @Override
  public void close() {
    nodes.close();
    rollouts.close();
  }
}
