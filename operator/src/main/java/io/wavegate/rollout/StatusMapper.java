package io.wavegate.rollout;

import io.wavegate.analysis.MetricDef;
import io.wavegate.analysis.MetricJudge;
import io.wavegate.analysis.MetricRecord;
import io.wavegate.api.HistoryStatus;
import io.wavegate.api.MetricStatus;

import io.wavegate.contract.Digests;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.GateStatus;
import io.wavegate.api.HealthStatus;
import io.wavegate.api.RolloutPhase;
import io.wavegate.api.StatusNote;
import io.wavegate.api.WaveStatus;
import io.wavegate.health.HealthReport;
import io.wavegate.validation.GateResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import io.wavegate.api.HoldStatus;
import io.wavegate.api.WebhookStatus;
import io.wavegate.api.WebhookType;
import io.wavegate.analysis.WebhookAnswer;
import io.wavegate.policy.Hold;

/**
 * The one place a ContentRollout status is built, and read back into the state machine's state.
 * The state round-trips through status fields (phase, waves, gate, stall, wait, failedRevisions);
 * conditions are derived from those fields, never parsed back. Conditions follow the kstatus
 * convention (Ready, Reconciling, Stalled) so that kubectl wait, Argo CD and Flux read health
 * without custom checks.
 */
public final class StatusMapper {

  private StatusMapper() {}

  public static RolloutState toState(ContentRolloutStatus status) {
    if (status == null || status.getPhase() == null) {
      return RolloutState.INITIAL;
    }
    List<WaveProgress> waves = status.getWaves() == null ? List.of() : status.getWaves().stream()
        .map(w -> new WaveProgress(w.getName(), WavePhase.parse(w.getPhase()), instant(w.getStartedAt()),
            instant(w.getBakeUntil()), instant(w.getCompletedAt())))
        .toList();
    return new RolloutState(status.getPhase(), status.getRevisionDigest(), status.getStableDigest(),
        status.getFailedRevisions() == null ? List.of() : List.copyOf(status.getFailedRevisions()), waves,
        gate(status.getGate()), note(status.getStall()), note(status.getWait()), metricRecords(status.getHealth()),
        status.getHistory() == null ? List.of() : status.getHistory().stream()
            .map(h -> new HistoryEntry(h.getRevision(), h.getOutcome(), h.getReason(), instant(h.getStartedAt()),
                instant(h.getFinishedAt()))).toList(), instant(status.getGenerallyAvailableAt()),
        webhookAnswers(status));
  }

  /** status.webhooks, all of the revision in flight; an entry that cannot be read is asked again. */
  private static List<WebhookAnswer> webhookAnswers(ContentRolloutStatus status) {
    if (status.getWebhooks() == null) {
      return List.of();
    }
    List<WebhookAnswer> answers = new ArrayList<>();
    for (WebhookStatus w : status.getWebhooks()) {
      WebhookType type = w.getType() == null ? null : java.util.Arrays.stream(WebhookType.values())
          .filter(t -> t.name().equals(w.getType())).findFirst().orElse(null);
      Instant at = instant(w.getAt());
      if (type != null && at != null && w.getWave() != null && w.getName() != null) {
        answers.add(new WebhookAnswer(status.getRevisionDigest(), w.getWave(), w.getName(), type,
            "Passed".equals(w.getOutcome()), w.getMessage(), at));
      }
    }
    return List.copyOf(answers);
  }

  private static List<WebhookStatus> webhookStatus(List<WebhookAnswer> answers) {
    if (answers.isEmpty()) {
      return null;
    }
    return answers.stream().map(a -> {
      WebhookStatus w = new WebhookStatus();
      w.setWave(a.wave());
      w.setName(a.name());
      w.setType(a.type().name());
      w.setOutcome(a.passed() ? "Passed" : "Failed");
      w.setMessage(a.message());
      w.setAt(text(a.at()));
      return w;
    }).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
  }

  /** The holds, one entry per policy and reason, with the earliest time one of its nodes becomes eligible. */
  private static List<HoldStatus> holdStatus(Map<String, Hold> holds) {
    if (holds.isEmpty()) {
      return null;
    }
    Map<String, List<Map.Entry<String, Hold>>> grouped = new TreeMap<>();
    holds.entrySet().forEach(e -> grouped.computeIfAbsent(e.getValue().policy() + "/" + e.getValue().reason(),
        k -> new ArrayList<>()).add(e));
    List<HoldStatus> statuses = new ArrayList<>();
    for (List<Map.Entry<String, Hold>> group : grouped.values()) {
      Hold first = group.stream().map(Map.Entry::getValue).min(Comparator.comparing(
          (Hold h) -> h.until().orElse(Instant.MAX))).orElseThrow();
      HoldStatus status = new HoldStatus();
      status.setPolicy(first.policy());
      status.setReason(first.reason().name());
      status.setMessage(first.message());
      status.setNextEligibleAt(first.until().map(Instant::toString).orElse(null));
      status.setCount(group.size());
      status.setNodes(group.stream().map(Map.Entry::getKey).sorted().limit(10)
          .collect(java.util.stream.Collectors.toCollection(ArrayList::new)));
      statuses.add(status);
    }
    return statuses;
  }

  private static List<HistoryStatus> historyStatus(List<HistoryEntry> history) {
    if (history.isEmpty()) {
      return null;
    }
    return history.stream().map(h -> {
      HistoryStatus entry = new HistoryStatus();
      entry.setRevision(h.revision());
      entry.setOutcome(h.outcome());
      entry.setReason(h.reason());
      entry.setStartedAt(text(h.startedAt()));
      entry.setFinishedAt(text(h.finishedAt()));
      return entry;
    }).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
  }

  private static List<MetricRecord> metricRecords(HealthStatus health) {
    if (health == null || health.getMetrics() == null) {
      return List.of();
    }
    return health.getMetrics().stream().filter(m -> m.getName() != null).map(m -> new MetricRecord(m.getName(),
        m.getValue(), outcome(m.getOutcome()), m.getMessage(), instant(m.getAt()),
        m.getMeasurements() == null ? 0 : m.getMeasurements(), m.getFailures() == null ? 0 : m.getFailures(),
        m.getConsecutiveErrors() == null ? 0 : m.getConsecutiveErrors(), Boolean.TRUE.equals(m.getNoDataAccepted()),
        m.getTemplate() == null ? null : new MetricDef.Template(m.getTemplate(),
            m.getTemplateGeneration() == null ? 0 : m.getTemplateGeneration())))
        .toList();
  }

  private static MetricJudge.Outcome outcome(String text) {
    try {
      return text == null ? null : MetricJudge.Outcome.valueOf(text);
    } catch (IllegalArgumentException unknown) {
      return null;
    }
  }

  private static List<MetricStatus> metricStatuses(List<MetricRecord> records) {
    if (records.isEmpty()) {
      return null;
    }
    return records.stream().map(r -> {
      MetricStatus m = new MetricStatus();
      m.setName(r.name());
      m.setValue(r.value());
      m.setOutcome(r.outcome() == null ? null : r.outcome().name());
      m.setMessage(r.message());
      m.setAt(r.at() == null ? null : r.at().toString());
      m.setMeasurements(r.measurements());
      m.setFailures(r.failures());
      m.setConsecutiveErrors(r.consecutiveErrors());
      m.setNoDataAccepted(r.noDataAccepted() ? Boolean.TRUE : null);
      if (r.template() != null) {
        m.setTemplate(r.template().name());
        m.setTemplateGeneration(r.template().generation());
      }
      return m;
    }).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
  }

  public static ContentRolloutStatus toStatus(RolloutDecision decision, long generation, Note error,
      ContentRolloutStatus previous, Instant now) {
    RolloutState state = decision.state();
    ContentRolloutStatus status = new ContentRolloutStatus();
    status.setObservedGeneration(generation);
    status.setPhase(state.phase());
    status.setRevision(Digests.shortRevision(state.revisionDigest()));
    status.setRevisionDigest(state.revisionDigest());
    status.setStableRevision(Digests.shortRevision(state.stableDigest()));
    status.setStableDigest(state.stableDigest());
    status.setFailedRevisions(new ArrayList<>(state.failedRevisions()));
    status.setHistory(historyStatus(state.history()));
    RolloutDecision.NodeCounts counts = decision.counts();
    List<String> aside = new ArrayList<>();
    if (counts.unavailable() > 0) {
      aside.add(counts.unavailable() + " unavailable");
    }
    if (counts.held() > 0) {
      aside.add(counts.held() + " held");
    }
    status.setNodes(counts.updated() + "/" + counts.fleet() + (aside.isEmpty() ? "" : " (" + String.join(", ", aside) + ")"));
    List<WaveStatus> waves = new ArrayList<>();
    Integer current = null;
    for (int i = 0; i < state.waves().size(); i++) {
      WaveProgress progress = state.waves().get(i);
      RolloutDecision.WaveCount count = i < counts.waves().size()
          ? counts.waves().get(i) : new RolloutDecision.WaveCount(0, 0, 0, 0, 0);
      WaveStatus wave = new WaveStatus();
      wave.setName(progress.name());
      wave.setPhase(progress.phase().name());
      wave.setNodes(count.nodes());
      wave.setUpdated(count.updated());
      wave.setReady(count.ready());
      wave.setUnavailable(count.unavailable());
      wave.setHeld(count.held() > 0 ? count.held() : null);
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
      status.setBakeUntil(state.waves().get(current).phase() == WavePhase.Baking
          ? text(state.waves().get(current).bakeUntil()) : null);
    }
    status.setUnavailableNodes(counts.unavailable());
    status.setHeldNodes(decision.holds().isEmpty() ? null : decision.holds().size());
    status.setHolds(holdStatus(decision.holds()));
    status.setGenerallyAvailableAt(text(state.generallyAvailableAt()));
    status.setWebhooks(webhookStatus(state.webhooks()));
    status.setPolicyNotes(decision.policyNotes().isEmpty() ? null : new ArrayList<>(decision.policyNotes()));
    HealthReport report = decision.health();
    HealthStatus health = new HealthStatus();
    health.setUnreadyNodes(report.unreadyNodes());
    health.setNodeReboots(report.nodeReboots());
    health.setCrashingPods(report.crashingPods());
    health.setContentFailures(report.contentFailures());
    health.setOffendingNodes(new ArrayList<>(report.offendingNodes().subList(0, Math.min(10, report.offendingNodes().size()))));
    health.setMetrics(metricStatuses(state.metrics()));
    status.setHealth(health);
    status.setGate(gateStatus(state.gate()));
    status.setStall(noteStatus(state.stall()));
    status.setWait(noteStatus(state.waiting()));
    status.setError(noteStatus(error));
    status.setConditions(conditions(state, error, generation, previous, now));
    status.setMessage(message(state, error));
    return status;
  }

  /** The reconcile error a status records, if any. */
  public static Note error(ContentRolloutStatus status) {
    return note(status.getError());
  }

  /** The previous status with a reconcile error recorded, its conditions derived again. */
  public static ContentRolloutStatus withError(ContentRolloutStatus previous, Note error, long generation, Instant now) {
    ContentRolloutStatus status = previous == null ? new ContentRolloutStatus()
        : Serialization.unmarshal(Serialization.asJson(previous), ContentRolloutStatus.class);
    status.setError(noteStatus(error));
    RolloutState state = toState(previous);
    if (state.phase() == null) {
      state = state.withPhase(RolloutPhase.Validating);
      status.setPhase(RolloutPhase.Validating);
    }
    status.setConditions(conditions(state, error, status.getObservedGeneration() == null ? generation
        : status.getObservedGeneration(), previous, now));
    status.setMessage(message(state, error));
    return status;
  }

  private static List<Condition> conditions(RolloutState state, Note error, long generation,
      ContentRolloutStatus previous, Instant now) {
    RolloutPhase phase = state.phase();
    String rev = Digests.shortRevision(state.revisionDigest());
    GateResult gate = state.gate();
    List<Condition> conditions = new ArrayList<>();
    String validatedStatus = gate == null || gate.outcome() == GateResult.Outcome.PENDING ? "Unknown"
        : gate.outcome() == GateResult.Outcome.REJECTED ? "False" : "True";
    conditions.add(condition("Validated", validatedStatus, gate == null ? "Validating" : gate.reason(),
        gate == null ? "revision " + rev + " is being checked" : gate.message(), generation, previous, now));
    boolean ready = phase == RolloutPhase.Succeeded;
    conditions.add(condition("Ready", ready ? "True" : "False", phase.name(), readyMessage(state), generation, previous, now));
    Note stall = phase == RolloutPhase.Rejected && gate != null ? Note.of(StopReason.Rejected, gate.message())
        : state.stall() != null ? state.stall() : error;
    boolean reconciling = phase == RolloutPhase.RollingBack
        || (stall == null && (phase == RolloutPhase.Validating || phase == RolloutPhase.Progressing));
    conditions.add(condition("Reconciling", reconciling ? "True" : "False",
        reconciling && state.waiting() != null ? state.waiting().reason().name() : phase.name(),
        !reconciling ? "nothing in progress" : state.waiting() != null ? state.waiting().message() : readyMessage(state),
        generation, previous, now));
    conditions.add(condition("Stalled", stall != null ? "True" : "False", stall == null ? "None" : stall.reason().name(),
        stall == null ? "not stalled" : stall.message(), generation, previous, now));
    return conditions;
  }

  static final int MESSAGE_LENGTH = 200;

  /** One line for `kubectl get -o wide`: the error, else why it stopped, else why it waits, else where it stands. */
  static String message(RolloutState state, Note error) {
    String line = error != null ? error.reason().name() + ": " + error.message()
        : state.stall() != null ? state.stall().reason().name() + ": " + state.stall().message()
        : state.waiting() != null ? state.waiting().reason().name() + ": " + state.waiting().message()
        : readyMessage(state);
    line = line.replaceAll("\\s+", " ").strip();
    return line.length() <= MESSAGE_LENGTH ? line : line.substring(0, MESSAGE_LENGTH - 3) + "...";
  }

  private static String readyMessage(RolloutState state) {
    String rev = Digests.shortRevision(state.revisionDigest());
    return switch (state.phase()) {
      case Validating -> "revision " + rev + " is at the content gate"
          + (state.gate() == null ? "" : ": " + state.gate().message());
      case Rejected -> "revision " + rev + " was refused by the content gate";
      case Progressing -> "revision " + rev + " is rolling out";
      case Paused -> "revision " + rev + " is paused (spec.paused)";
      case Halted -> "revision " + rev + " is halted"
          + (state.stall() == null ? "" : ": " + state.stall().message());
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

  private static GateResult gate(GateStatus gate) {
    if (gate == null || gate.getOutcome() == null) {
      return null;
    }
    GateResult.Outcome outcome = java.util.Arrays.stream(GateResult.Outcome.values())
        .filter(o -> o.name().equalsIgnoreCase(gate.getOutcome())).findFirst().orElse(null);
    // an outcome this operator does not know (a newer one wrote it): the gate runs again
    return outcome == null ? null : new GateResult(outcome, gate.getReason(), gate.getMessage());
  }

  private static GateStatus gateStatus(GateResult gate) {
    if (gate == null) {
      return null;
    }
    String outcome = gate.outcome().name().charAt(0) + gate.outcome().name().substring(1).toLowerCase();
    return new GateStatus(outcome, gate.reason(), gate.message());
  }

  private static Note note(StatusNote note) {
    return note == null ? null : new Note(Reason.parse(note.getReason()), note.getMessage(), note.getNodes());
  }

  private static StatusNote noteStatus(Note note) {
    return note == null ? null : new StatusNote(note.reason() == null ? null : note.reason().name(), note.message(),
        new ArrayList<>(note.nodes()));
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
