package io.wavegate.cache;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.List;

/**
 * The part of a Pod the crash detector reads: name, namespace, labels (crashingPodSelector), its
 * node, and its containers' current and last states. The operator watches pods in every namespace,
 * so everything else (specs, env, volumes, managed fields) is dropped from the cache.
 */
public final class CachedPod {

  private CachedPod() {}

  public static Pod of(Pod pod) {
    PodSpec spec = null;
    if (pod.getSpec() != null) {
      spec = new PodSpec();
      spec.setNodeName(pod.getSpec().getNodeName());
    }
    PodStatus status = null;
    if (pod.getStatus() != null) {
      status = new PodStatus();
      status.setContainerStatuses(states(pod.getStatus().getContainerStatuses()));
      status.setInitContainerStatuses(states(pod.getStatus().getInitContainerStatuses()));
    }
    return new PodBuilder().withNewMetadata()
        .withName(pod.getMetadata().getName())
        .withNamespace(pod.getMetadata().getNamespace())
        .withUid(pod.getMetadata().getUid())
        .withResourceVersion(pod.getMetadata().getResourceVersion())
        .withLabels(pod.getMetadata().getLabels())
        .endMetadata()
        .withSpec(spec)
        .withStatus(status)
        .build();
  }

  private static List<ContainerStatus> states(List<ContainerStatus> statuses) {
    if (statuses == null) {
      return null;
    }
    return statuses.stream().map(s -> {
      ContainerStatus pruned = new ContainerStatus();
      pruned.setName(s.getName());
      pruned.setState(s.getState());
      pruned.setLastState(s.getLastState());
      pruned.setRestartCount(s.getRestartCount());
      return pruned;
    }).toList();
  }
}
