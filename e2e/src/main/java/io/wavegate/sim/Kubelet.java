package io.wavegate.sim;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What a kubelet writes about its Node, for the simulated fleets (no kubelet runs in the tests). */
public final class Kubelet {

  private Kubelet() {}

  /**
   * Reports readiness, the boot ID (a new one is a reboot) and the image list, by a merge patch of
   * the status subresource as a kubelet would: it never conflicts with label writes.
   */
  public static void reportStatus(KubernetesClient client, String node, boolean ready, String bootId,
      List<ContainerImage> images) {
    var status = new NodeStatusBuilder().withConditions(new NodeConditionBuilder().withType("Ready")
            .withStatus(ready ? "True" : "False").withReason(ready ? "KubeletReady" : "KubeletNotReady")
            .withLastHeartbeatTime(Instant.now().toString()).withLastTransitionTime(Instant.now().toString()).build())
        .withNewNodeInfo().withBootID(bootId).withMachineID(node).withSystemUUID(node).withArchitecture("amd64")
        .withOperatingSystem("linux").withOsImage("sim").withKernelVersion("6.1").withKubeletVersion("v1.34.4")
        .withKubeProxyVersion("").withContainerRuntimeVersion("sim://1").endNodeInfo().withImages(images)
        .withPhase("Running") // deprecated for kubelets, but what kwok's heartbeat stage selects nodes by
        .build();
    client.nodes().withName(node).subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", status)));
  }
}
