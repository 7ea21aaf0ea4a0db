package io.wavegate.health;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a pod crashed since a node got the revision: a container terminated (its current or
 * last state) after the assignment time, or it is in CrashLoopBackOff.
 */
public final class CrashDetector {

  private CrashDetector() {}

  public static boolean crashedSince(Pod pod, Instant assignedAt) {
    if (pod.getStatus() == null) {
      return false;
    }
    List<ContainerStatus> statuses = new ArrayList<>();
    if (pod.getStatus().getContainerStatuses() != null) {
      statuses.addAll(pod.getStatus().getContainerStatuses());
    }
    if (pod.getStatus().getInitContainerStatuses() != null) {
      statuses.addAll(pod.getStatus().getInitContainerStatuses());
    }
    for (ContainerStatus status : statuses) {
      if (status.getState() != null && status.getState().getWaiting() != null
          && "CrashLoopBackOff".equals(status.getState().getWaiting().getReason())) {
        return true;
      }
      if (status.getState() != null && terminatedAfter(status.getState().getTerminated(), assignedAt)) {
        return true;
      }
      if (status.getLastState() != null && terminatedAfter(status.getLastState().getTerminated(), assignedAt)) {
        return true;
      }
    }
    return false;
  }

  private static boolean terminatedAfter(ContainerStateTerminated terminated, Instant assignedAt) {
    if (terminated == null || terminated.getFinishedAt() == null) {
      return false;
    }
    boolean failed = terminated.getExitCode() == null || terminated.getExitCode() != 0;
    try {
      return failed && Instant.parse(terminated.getFinishedAt()).isAfter(assignedAt);
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
