package io.wavegate.plugin;

import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.HealthStatus;
import io.wavegate.api.HoldStatus;
import io.wavegate.api.WebhookStatus;
import io.wavegate.api.MetricStatus;
import io.wavegate.api.StatusNote;
import io.wavegate.api.WaveStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** A rollout as a tree for the terminal, as `kubectl argo rollouts get` draws one. Pure. */
public final class RolloutView {

  private RolloutView() {}

  public static String render(ContentRollout rollout, Instant now) {
    ContentRolloutStatus s = rollout.getStatus();
    StringBuilder out = new StringBuilder();
    line(out, "Name:", rollout.getMetadata().getName());
    if (s == null || s.getPhase() == null) {
      line(out, "Phase:", "(not observed yet)");
      return out.toString();
    }
    line(out, "Phase:", s.getPhase().name());
    line(out, "Revision:", Objects.toString(s.getRevision(), "-") + (s.getStableRevision() == null ? ""
        : "  (stable " + s.getStableRevision() + ")"));
    line(out, "Nodes:", Objects.toString(s.getNodes(), "-"));
    if (s.getMessage() != null) {
      line(out, "Message:", s.getMessage());
    }
    out.append('\n');
    List<WaveStatus> waves = s.getWaves() == null ? List.of() : s.getWaves();
    out.append(String.format("%-2s%-16s %-11s %7s %8s %12s  %s%n", "", "WAVE", "PHASE", "NODES", "UPDATED",
        "UNAVAILABLE", "BAKE"));
    for (WaveStatus wave : waves) {
      boolean current = Objects.equals(wave.getName(), s.getCurrentWaveName())
          && !"Completed".equals(wave.getPhase()) && !"Pending".equals(wave.getPhase());
      out.append(String.format("%-2s%-16s %-11s %7d %8d %12d  %s%n", current ? ">" : "", wave.getName(),
          wave.getPhase(), orZero(wave.getNodes()), orZero(wave.getUpdated()), orZero(wave.getUnavailable()),
          bake(wave, now)));
    }
    HealthStatus h = s.getHealth();
    if (h != null) {
      out.append('\n');
      line(out, "Health:", "unready " + orZero(h.getUnreadyNodes()) + ", reboots " + orZero(h.getNodeReboots())
          + ", crashing pods " + orZero(h.getCrashingPods()) + ", content failures " + orZero(h.getContentFailures())
          + (healthSinceTheRollback(s) ? "  (now, after the rollback; what stopped it is under Stalled)" : ""));
      if (h.getMetrics() != null) {
        for (MetricStatus m : h.getMetrics()) {
          line(out, "Metric:", m.getName() + "  " + Objects.toString(m.getOutcome(), "-") + "  value "
              + (m.getValue() == null ? "-" : format(m.getValue())) + "  (" + orZero(m.getMeasurements())
              + " measurements, " + orZero(m.getFailures()) + " failed, " + orZero(m.getConsecutiveErrors())
              + " errors in a row)" + (m.getTemplate() == null ? ""
              : "  template " + m.getTemplate() + " (generation " + m.getTemplateGeneration() + ")"));
        }
      }
    }
    if (s.getHolds() != null) {
      for (HoldStatus hold : s.getHolds()) {
        line(out, "Held:", hold.getPolicy() + ": " + hold.getReason() + ", " + orZero(hold.getCount()) + " node(s)"
            + (hold.getNextEligibleAt() == null ? "" : ", next eligible " + hold.getNextEligibleAt())
            + (hold.getMessage() == null ? "" : " (" + hold.getMessage() + ")"));
      }
    }
    if (s.getPolicyNotes() != null) {
      s.getPolicyNotes().forEach(text -> line(out, "Policy:", text));
    }
    if (s.getWebhooks() != null) {
      for (WebhookStatus webhook : s.getWebhooks()) {
        line(out, "Webhook:", webhook.getWave() + "/" + webhook.getName() + " " + webhook.getType() + " "
            + webhook.getOutcome() + ": " + Objects.toString(webhook.getMessage(), "-"));
      }
    }
    note(out, "Stalled:", s.getStall());
    note(out, "Waiting:", s.getWait());
    note(out, "Error:", s.getError());
    return out.toString();
  }

  /**
   * Once the nodes are back on the stable revision their health signals are counted afresh, and may all be
   * 0 while the breach that stopped the rollout counted some: the line says so, so that "reboots 0" does
   * not contradict "2 node reboots" under Stalled.
   */
  static boolean healthSinceTheRollback(ContentRolloutStatus s) {
    HealthStatus h = s.getHealth();
    return s.getStall() != null && h != null && (s.getPhase() == io.wavegate.api.RolloutPhase.RollingBack
        || s.getPhase() == io.wavegate.api.RolloutPhase.RolledBack) && orZero(h.getUnreadyNodes()) == 0
        && orZero(h.getNodeReboots()) == 0 && orZero(h.getCrashingPods()) == 0 && orZero(h.getContentFailures()) == 0;
  }

  private static void note(StringBuilder out, String label, StatusNote note) {
    if (note != null && note.getReason() != null) {
      line(out, label, note.getReason() + ": " + note.getMessage());
      if (note.getNodes() != null && !note.getNodes().isEmpty()) {
        line(out, "  nodes:", String.join(", ", note.getNodes()));
      }
    }
  }

  static String bake(WaveStatus wave, Instant now) {
    if (!"Baking".equals(wave.getPhase()) || wave.getBakeUntil() == null) {
      return "";
    }
    Duration left = Duration.between(now, Instant.parse(wave.getBakeUntil()));
    if (left.isNegative() || left.isZero()) {
      return "baked";
    }
    return io.wavegate.contract.Durations.format(Duration.ofSeconds(left.toSeconds())) + " left";
  }

  static String format(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  private static void line(StringBuilder out, String label, String value) {
    out.append(String.format("%-10s %s%n", label, value));
  }
}
