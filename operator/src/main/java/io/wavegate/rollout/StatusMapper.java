package io.wavegate.rollout;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.HealthStatus;
import io.wavegate.api.RolloutPhase;
import io.wavegate.api.WaveStatus;
import io.wavegate.delivery.NodeKeys;
import io.wavegate.health.HealthReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one place a ContentRollout status is built: from the state machine's state and decision.
 * Conditions follow the kstatus convention (Ready, Reconciling, Stalled) so that kubectl wait,
 * Argo CD and Flux read health without custom checks.
 */
public final class StatusMapper {

  private StatusMapper() {}

  public static RolloutState toState(ContentRolloutStatus status) {
    if (status == null || status.getPhase() == null) {
      return RolloutState.INITIAL;
    }
    List<WaveProgress> waves = status.getWaves() == null ? List.of() : status.getWaves().stream()
        .map(w -> new WaveProgress(w.getName(), WavePhase.valueOf(w.getPhase()), instant(w.getStartedAt()),
            instant(w.getBakeUntil()), instant(w.getCompletedAt())))
        .toList();
    Condition validated = find(status.getConditions(), "Validated");
    Condition stalled = find(status.getConditions(), "Stalled");
    boolean isStalled = stalled != null && "True".equals(stalled.getStatus()) && !"Rejected".equals(stalled.getReason());
    return new RolloutState(status.getPhase(), status.getRevisionDigest(), status.getStableDigest(),
        status.getFailedRevisions() == null ? List.of() : List.copyOf(status.getFailedRevisions()), waves,
        validated == null ? null : validated.getReason(), validated == null ? null : validated.getMessage(),
        isStalled ? stalled.getReason() : null, isStalled ? stalled.getMessage() : null);
  }

  public static ContentRolloutStatus toStatus(RolloutState state, RolloutDecision decision, long generation,
      ContentRolloutStatus previous, Instant now) {
    ContentRolloutStatus status = new ContentRolloutStatus();
    status.setObservedGeneration(generation);
    status.setPhase(state.phase());
    status.setRevision(NodeKeys.shortRevision(state.revisionDigest()));
    status.setRevisionDigest(state.revisionDigest());
    status.setStableRevision(NodeKeys.shortRevision(state.stableDigest()));
    status.setStableDigest(state.stableDigest());
    status.setFailedRevisions(new ArrayList<>(state.failedRevisions()));
    RolloutDecision.NodeCounts counts = decision.counts();
    status.setNodes(counts.updated() + "/" + counts.fleet());
    List<WaveStatus> waves = new ArrayList<>();
    Integer current = null;
    for (int i = 0; i < state.waves().size(); i++) {
      WaveProgress progress = state.waves().get(i);
      WaveStatus wave = new WaveStatus();
      wave.setName(progress.name());
      wave.setPhase(progress.phase().name());
      wave.setNodes(i < counts.waveNodes().size() ? counts.waveNodes().get(i) : 0);
      wave.setUpdated(i < counts.waveUpdated().size() ? counts.waveUpdated().get(i) : 0);
      wave.setReady(i < counts.waveReady().size() ? counts.waveReady().get(i) : 0);
      wave.setStartedAt(text(progress.startedAt()));
      wave.setBakeUntil(text(progress.bakeUntil()));
      wave.setCompletedAt(text(progress.completedAt()));
      waves.add(wave);
      if (current == null && progress.phase() != WavePhase.Completed && progress.phase() != WavePhase.Pending) {
        current = i;
      }
    }
    status.setWaves(waves);
    if (current != null) {
      status.setCurrentWave(current);
      status.setCurrentWaveName(state.waves().get(current).name());
    }
    HealthReport report = decision.health();
    HealthStatus health = new HealthStatus();
    health.setUnreadyNodes(report.unreadyNodes());
    health.setNodeReboots(report.nodeReboots());
    health.setCrashingPods(report.crashingPods());
    health.setContentFailures(report.contentFailures());
    health.setOffendingNodes(new ArrayList<>(report.offendingNodes().subList(0, Math.min(10, report.offendingNodes().size()))));
    status.setHealth(health);
    status.setConditions(conditions(state, generation, previous, now));
    return status;
  }

  private static List<Condition> conditions(RolloutState state, long generation, ContentRolloutStatus previous,
      Instant now) {
    RolloutPhase phase = state.phase();
    String rev = NodeKeys.shortRevision(state.revisionDigest());
    List<Condition> conditions = new ArrayList<>();
    String validatedStatus = switch (phase) {
      case Validating -> "Unknown";
      case Rejected -> "False";
      default -> state.gateReason() == null ? "Unknown" : "True";
    };
    conditions.add(condition("Validated", validatedStatus, state.gateReason() == null ? "Validating" : state.gateReason(),
        state.gateMessage() == null ? "revision " + rev + " is being checked" : state.gateMessage(), generation, previous, now));
    boolean ready = phase == RolloutPhase.Succeeded;
    conditions.add(condition("Ready", ready ? "True" : "False", phase.name(), readyMessage(state), generation, previous, now));
    boolean reconciling = phase == RolloutPhase.Validating || phase == RolloutPhase.Progressing
        || phase == RolloutPhase.RollingBack;
    conditions.add(condition("Reconciling", reconciling ? "True" : "False", phase.name(),
        reconciling ? readyMessage(state) : "nothing in progress", generation, previous, now));
    boolean stalled = phase == RolloutPhase.Rejected || state.stallReason() != null;
    String stallReason = phase == RolloutPhase.Rejected ? "Rejected" : state.stallReason() == null ? "None" : state.stallReason();
    String stallMessage = phase == RolloutPhase.Rejected ? state.gateMessage()
        : state.stallMessage() == null ? "not stalled" : state.stallMessage();
    conditions.add(condition("Stalled", stalled ? "True" : "False", stallReason, stallMessage, generation, previous, now));
    return conditions;
  }

  private static String readyMessage(RolloutState state) {
    String rev = NodeKeys.shortRevision(state.revisionDigest());
    return switch (state.phase()) {
      case Validating -> "revision " + rev + " is at the content gate" + (state.gateMessage() == null ? "" : ": " + state.gateMessage());
      case Rejected -> "revision " + rev + " was refused by the content gate";
      case Progressing -> "revision " + rev + " is rolling out";
      case Paused -> state.stallReason() == null ? "revision " + rev + " is paused (spec.paused)"
          : "revision " + rev + " is halted: " + state.stallMessage();
      case Succeeded -> "revision " + rev + " is on every node of every wave";
      case RollingBack -> "revision " + rev + " is being rolled back";
      case RolledBack -> "revision " + rev + " was rolled back";
    };
  }

  /** Keeps lastTransitionTime when status did not change, as the Kubernetes conventions ask. */
  private static Condition condition(String type, String status, String reason, String message, long generation,
      ContentRolloutStatus previous, Instant now) {
    Condition before = previous == null ? null : find(previous.getConditions(), type);
    String transition = before != null && Objects.equals(before.getStatus(), status)
        ? before.getLastTransitionTime() : now.toString();
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withObservedGeneration(generation).withLastTransitionTime(transition).build();
  }

  private static Condition find(List<Condition> conditions, String type) {
    return conditions == null ? null : conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
