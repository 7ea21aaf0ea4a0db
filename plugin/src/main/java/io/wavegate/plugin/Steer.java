package io.wavegate.plugin;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.RolloutAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The ways a person steers a rollout, each one merge patch of the ContentRollout: the commands of
 * {@code kubectl wavegate} and the dashboard's buttons are these, and stop the line ({@link #stop}).
 */
public enum Steer {
  PAUSE("pause", "{\"spec\":{\"paused\":true}}", "paused"),
  RESUME("resume", "{\"spec\":{\"paused\":false}}", "resumed"),
  PROMOTE("promote", annotation(RolloutAction.PROMOTE), "promoted"),
  APPROVE("approve", annotation(RolloutAction.APPROVE), "approved: the waiting wave starts"),
  ABORT("abort", annotation(RolloutAction.ABORT), "aborted: rolling back"),
  RETRY("retry", annotation(RolloutAction.RETRY), "retried");

  private final String command;
  private final String patch;
  private final String done;

  Steer(String command, String patch, String done) {
    this.command = command;
    this.patch = patch;
    this.done = done;
  }

  public String command() {
    return command;
  }

  /** What the command prints once the patch is in. */
  public String done() {
    return done;
  }

  public static Optional<Steer> named(String command) {
    return Arrays.stream(values()).filter(s -> s.command.equals(command)).findFirst();
  }

  public void apply(KubernetesClient client, String rollout) {
    client.resources(ContentRollout.class).withName(rollout).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  /**
   * Stop the line: abort every rollout in flight (only those of a revision starting with {@code revision},
   * when given). One line per rollout stopped, then a summary.
   */
  public static List<String> stop(KubernetesClient client, String revision) {
    List<String> lines = new ArrayList<>();
    for (ContentRollout r : client.resources(ContentRollout.class).list().getItems()) {
      ContentRolloutStatus s = r.getStatus();
      String digest = r.getSpec() == null || r.getSpec().getContent() == null ? null : r.getSpec().getContent().getSha256();
      boolean inFlight = s != null && s.getPhase() != null && s.getPhase().inFlight();
      if (!inFlight || digest == null || revision != null && !digest.startsWith(revision)) {
        continue;
      }
      ABORT.apply(client, r.getMetadata().getName());
      lines.add(String.format("%-28s aborted: revision %s revoked, nodes go back to %s", r.getMetadata().getName(),
          digest.substring(0, 12), s.getStableRevision() == null ? "no content (no stable revision)"
              : "stable revision " + s.getStableRevision()));
    }
    lines.add(lines.isEmpty() ? "no rollout in flight" + (revision == null ? "" : " with revision " + revision)
        : lines.size() + " rollout(s) stopped; watch them with: kubectl get contentrevocations; kubectl wavegate list");
    return lines;
  }

  static String annotation(RolloutAction action) {
    return "{\"metadata\":{\"annotations\":{\"" + action.annotation() + "\":\"true\"}}}";
  }
}
