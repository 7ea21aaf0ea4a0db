package io.wavegate.health;

/**
 * What one updated node shows now, next to the baseline recorded when it was given the revision.
 *
 * @param contentFailure the agent's reason when it reported the revision rejected or failed, else null
 * @param crashingPods pods matching crashingPodSelector on the node that crashed after assignment
 */
public record NodeSignals(
    String node,
    boolean readyAtAssignment,
    boolean readyNow,
    String bootIdAtAssignment,
    String bootIdNow,
    String contentFailure,
    int crashingPods) {

  boolean unready() {
    return readyAtAssignment && !readyNow;
  }

  boolean rebooted() {
    return bootIdAtAssignment != null && !bootIdAtAssignment.isEmpty() && bootIdNow != null
        && !bootIdAtAssignment.equals(bootIdNow);
  }

  boolean contentFailed() {
    return contentFailure != null;
  }
}
