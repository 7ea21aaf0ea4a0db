package io.wavegate.validation;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A validator Job's pod template comes from whoever writes the ContentRollout, who is not trusted
 * with anything beyond publishing content. Pure: names the first field that would hand the
 * template more than a confined, unprivileged pod (another service account or a token, host
 * namespaces, host or secret volumes, privilege, added capabilities, escalation, root), so the
 * rollout is refused before any Job exists.
 */
public final class ValidatorTemplates {

  private static final List<String> ALLOWED_VOLUMES = List.of("emptyDir", "configMap", "downwardAPI");

  private ValidatorTemplates() {}

  public static Optional<String> problem(PodTemplateSpec template) {
    PodSpec pod = template == null ? null : template.getSpec();
    if (pod == null) {
      return Optional.of("spec.validation.validatorJob.template.spec is missing");
    }
    String at = "spec.validation.validatorJob.template.spec";
    if (notBlank(pod.getServiceAccountName()) || notBlank(pod.getServiceAccount())) {
      return Optional.of(at + ".serviceAccountName: validator pods run as the validator service account, with no"
          + " rights; a template may not choose another");
    }
    if (Boolean.TRUE.equals(pod.getAutomountServiceAccountToken())) {
      return Optional.of(at + ".automountServiceAccountToken: validator pods get no API token");
    }
    if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())
        || Boolean.TRUE.equals(pod.getHostIPC())) {
      return Optional.of(at + (Boolean.TRUE.equals(pod.getHostNetwork()) ? ".hostNetwork"
          : Boolean.TRUE.equals(pod.getHostPID()) ? ".hostPID" : ".hostIPC") + ": host namespaces are not allowed");
    }
    if (pod.getVolumes() != null) {
      for (int i = 0; i < pod.getVolumes().size(); i++) {
        String kind = kind(pod.getVolumes().get(i));
        if (!ALLOWED_VOLUMES.contains(kind)) {
          return Optional.of(at + ".volumes[" + i + "]." + kind + ": only emptyDir, configMap and downwardAPI volumes"
              + " are allowed (no host, secret or projected volumes)");
        }
      }
    }
    Optional<String> podContext = podSecurity(pod.getSecurityContext(), at + ".securityContext");
    if (podContext.isPresent()) {
      return podContext;
    }
    List<Container> containers = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    add(containers, paths, pod.getInitContainers(), at + ".initContainers");
    add(containers, paths, pod.getContainers(), at + ".containers");
    for (int i = 0; i < containers.size(); i++) {
      Optional<String> problem = container(containers.get(i), paths.get(i));
      if (problem.isPresent()) {
        return problem;
      }
    }
    if (pod.getEphemeralContainers() != null && !pod.getEphemeralContainers().isEmpty()) {
      return Optional.of(at + ".ephemeralContainers: not allowed");
    }
    return Optional.empty();
  }

  private static Optional<String> container(Container container, String at) {
    SecurityContext context = container.getSecurityContext();
    if (context != null) {
      if (Boolean.TRUE.equals(context.getPrivileged())) {
        return Optional.of(at + ".securityContext.privileged: not allowed");
      }
      if (Boolean.TRUE.equals(context.getAllowPrivilegeEscalation())) {
        return Optional.of(at + ".securityContext.allowPrivilegeEscalation: not allowed");
      }
      if (context.getCapabilities() != null && context.getCapabilities().getAdd() != null
          && !context.getCapabilities().getAdd().isEmpty()) {
        return Optional.of(at + ".securityContext.capabilities.add: no capability may be added");
      }
      if (Long.valueOf(0).equals(context.getRunAsUser()) || Boolean.FALSE.equals(context.getRunAsNonRoot())) {
        return Optional.of(at + ".securityContext." + (Long.valueOf(0).equals(context.getRunAsUser()) ? "runAsUser"
            : "runAsNonRoot") + ": validator pods run as non-root");
      }
      if ("Unmasked".equals(context.getProcMount())) {
        return Optional.of(at + ".securityContext.procMount: not allowed");
      }
    }
    if (container.getPorts() != null && container.getPorts().stream().anyMatch(p -> p.getHostPort() != null)) {
      return Optional.of(at + ".ports.hostPort: not allowed");
    }
    if (container.getEnvFrom() != null && container.getEnvFrom().stream().anyMatch(e -> e.getSecretRef() != null)) {
      return Optional.of(at + ".envFrom.secretRef: validator pods read no Secrets");
    }
    if (container.getEnv() != null) {
      for (EnvVar env : container.getEnv()) {
        if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
          return Optional.of(at + ".env[" + env.getName() + "].valueFrom.secretKeyRef: validator pods read no Secrets");
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> podSecurity(PodSecurityContext context, String at) {
    if (context == null) {
      return Optional.empty();
    }
    if (Long.valueOf(0).equals(context.getRunAsUser()) || Boolean.FALSE.equals(context.getRunAsNonRoot())) {
      return Optional.of(at + "." + (Long.valueOf(0).equals(context.getRunAsUser()) ? "runAsUser" : "runAsNonRoot")
          + ": validator pods run as non-root");
    }
    if (context.getSysctls() != null && !context.getSysctls().isEmpty()) {
      return Optional.of(at + ".sysctls: not allowed");
    }
    return Optional.empty();
  }

  private static void add(List<Container> containers, List<String> paths, List<Container> more, String at) {
    if (more == null) {
      return;
    }
    for (int i = 0; i < more.size(); i++) {
      containers.add(more.get(i));
      paths.add(at + "[" + i + "]");
    }
  }

  /** The volume source a volume uses, by its field name. */
  private static String kind(Volume volume) {
    if (volume.getEmptyDir() != null) {
      return "emptyDir";
    }
    if (volume.getConfigMap() != null) {
      return "configMap";
    }
    if (volume.getDownwardAPI() != null) {
      return "downwardAPI";
    }
    if (volume.getHostPath() != null) {
      return "hostPath";
    }
    if (volume.getSecret() != null) {
      return "secret";
    }
    if (volume.getProjected() != null) {
      return "projected";
    }
    if (volume.getPersistentVolumeClaim() != null) {
      return "persistentVolumeClaim";
    }
    return volume.getAdditionalProperties().keySet().stream().filter(k -> !k.equals("name")).findFirst()
        .orElse("another volume type");
  }

  private static boolean notBlank(String text) {
    return text != null && !text.isBlank();
  }
}
