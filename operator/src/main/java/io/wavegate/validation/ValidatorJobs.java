package io.wavegate.validation;

import io.wavegate.contract.Digests;
import io.wavegate.contract.SnapshotFormat;
import io.wavegate.delivery.CheckedContent;

import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.SecretVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ValidatorJobSpec;
import io.wavegate.delivery.Snapshots;
import io.wavegate.contract.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The last gate: a Job that loads the exact checked bytes with the real consumer, confined. It runs
 * in the validator namespace (restricted Pod Security in the chart) as the validator service
 * account, which has no rights and gets no token; its template has passed {@link ValidatorTemplates}
 * and gets non-root, no-escalation, all-capabilities-dropped defaults. The bytes are copied next to
 * it (a ConfigMap, or a Secret for secret content) and mounted read-only at /content/&lt;fileName&gt;;
 * exit 0 passes, failure or timeout rejects. OCI content is not copied: an init container running the
 * node agent's image ({@code fetch}) pulls the revision's blob by digest into an emptyDir, checked as it
 * streams, with the gate's pull credentials copied next to the Job as a Secret.
 */
public final class ValidatorJobs {

  public static final String MOUNT_PATH = "/content";
  static final String FETCH_CONTAINER = "wavegate-fetch";
  static final String CREDENTIALS_PATH = "/etc/wavegate/registry";
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  private final KubernetesClient client;
  private final String namespace;
  private final String serviceAccount;
  private final String agentImage;
  private final java.util.Set<String> insecureRegistries;

  /**
   * @param agentImage the node agent's image, run as the init container that fetches OCI content; null: none
   * @param insecureRegistries registries it may reach over plain HTTP besides loopback ones
   */
  public ValidatorJobs(KubernetesClient client, String namespace, String serviceAccount, String agentImage,
      java.util.Set<String> insecureRegistries) {
    this.client = client;
    this.namespace = namespace;
    this.serviceAccount = serviceAccount;
    this.agentImage = agentImage;
    this.insecureRegistries = insecureRegistries;
  }

  public ValidatorJobs(KubernetesClient client, String namespace, String serviceAccount) {
    this(client, namespace, serviceAccount, null, java.util.Set.of());
  }

  public String namespace() {
    return namespace;
  }

  public static String jobName(String channel, String digest) {
    return "wavegate-validate-" + channel + "-" + Digests.shortRevision(digest);
  }

  /** The revision's validator Job as it is now, or null before it was started. */
  public Job job(String channel, String digest) {
    return client.batch().v1().jobs().inNamespace(namespace).withName(jobName(channel, digest)).get();
  }

  /**
   * The Job's state as a gate result (pure): passed on exit 0, rejected on failure or past its
   * timeout, else pending; a Job not started yet is pending too (it is started in this reconcile).
   */
  public GateResult verdict(String channel, String digest, Job job, ValidatorJobSpec spec, Instant now) {
    String name = jobName(channel, digest);
    if (job != null && job.getStatus() != null && job.getStatus().getSucceeded() != null
        && job.getStatus().getSucceeded() > 0) {
      return GateResult.passed("validator Job " + namespace + "/" + name + " loaded the content and exited 0");
    }
    if (job != null && job.getStatus() != null && job.getStatus().getFailed() != null && job.getStatus().getFailed() > 0) {
      String why = failedCondition(job).map(c -> ": " + c.getReason() + (c.getMessage() == null ? "" : " " + c.getMessage()))
          .orElse("");
      return GateResult.rejected(RejectReason.ValidatorJobFailed.name(),
          "validator Job " + namespace + "/" + name + " failed" + why);
    }
    if (job != null && !now.isBefore(Instant.parse(job.getMetadata().getCreationTimestamp()).plus(timeout(spec)))) {
      return GateResult.rejected(RejectReason.ValidatorJobFailed.name(), "validator Job " + namespace + "/" + name
          + " did not finish within its timeout of " + spec.getTimeout());
    }
    return GateResult.pending("ValidatorJobRunning", "validator Job " + namespace + "/" + name + " is running");
  }

  /**
   * Starts the revision's validator Job: with the checked bytes copied next to it, or for OCI content
   * with the fetch init container (and the pull credentials copied next to it, if the gate used any).
   */
  public void start(ContentRollout rollout, ValidatorJobSpec spec, String digest, String fileName,
      CheckedContent content, boolean secret) {
    String name = jobName(rollout.channel(), digest);
    if (content instanceof CheckedContent.Bytes bytes) {
      copyContent(rollout, name, digest, bytes.bytes(), secret);
    } else if (content instanceof CheckedContent.Oci oci && oci.pullCredentials().isPresent()) {
      Snapshots.createOnce(client, new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName(name)
              .withNamespace(namespace).addToLabels(SnapshotFormat.CHANNEL_LABEL, rollout.channel())
              .withOwnerReferences(Snapshots.ownedBy(rollout)).build())
          .withType("kubernetes.io/dockerconfigjson").withImmutable(true)
          .addToData(".dockerconfigjson", java.util.Base64.getEncoder().encodeToString(oci.pullCredentials().get()))
          .build());
    }
    client.batch().v1().jobs().inNamespace(namespace).resource(build(rollout, spec, digest, fileName, name, content,
        secret)).create();
  }

  /** The checked bytes next to the Job, owned by the rollout, immutable; a Secret when the source is one. */
  private void copyContent(ContentRollout rollout, String name, String digest, byte[] bytes, boolean secret) {
    ObjectMeta meta = new ObjectMetaBuilder().withName(name).withNamespace(namespace)
        .addToLabels(SnapshotFormat.CHANNEL_LABEL, rollout.channel()).addToAnnotations(SnapshotFormat.SHA256_ANNOTATION, digest)
        .withOwnerReferences(Snapshots.ownedBy(rollout)).build();
    Snapshots.createOnce(client, Snapshots.holding(meta, new CheckedContent.Bytes(bytes), secret));
  }

  private Job build(ContentRollout rollout, ValidatorJobSpec spec, String digest, String fileName, String name,
      CheckedContent checked, boolean secret) {
    PodTemplateSpec template = Serialization.clone(spec.getTemplate());
    PodSpec pod = template.getSpec();
    if (pod.getVolumes() == null) {
      pod.setVolumes(new ArrayList<>());
    }
    VolumeBuilder content = new VolumeBuilder().withName("wavegate-content");
    if (checked instanceof CheckedContent.Oci oci) {
      pod.getVolumes().add(content.withNewEmptyDir().endEmptyDir().build());
      Container fetch = new ContainerBuilder().withName(FETCH_CONTAINER).withImage(agentImage)
          .withArgs("fetch", oci.reference(), digest, MOUNT_PATH + "/" + fileName)
          .addNewEnv().withName("WAVEGATE_OCI_INSECURE_REGISTRIES").withValue(String.join(",", insecureRegistries))
          .endEnv()
          .addNewVolumeMount().withName("wavegate-content").withMountPath(MOUNT_PATH).endVolumeMount()
          .withNewSecurityContext().withReadOnlyRootFilesystem(true).withRunAsNonRoot(true).endSecurityContext()
          .withNewResources().addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("128Mi"))
          .endResources().build();
      if (oci.pullCredentials().isPresent()) {
        pod.getVolumes().add(new VolumeBuilder().withName("wavegate-registry").withSecret(new SecretVolumeSourceBuilder()
            .withSecretName(name).build()).build());
        fetch.getEnv().add(new io.fabric8.kubernetes.api.model.EnvVar("WAVEGATE_REGISTRY_AUTH_FILE",
            CREDENTIALS_PATH + "/.dockerconfigjson", null));
        fetch.getVolumeMounts().add(new VolumeMountBuilder().withName("wavegate-registry").withMountPath(CREDENTIALS_PATH)
            .withReadOnly(true).build());
      }
      List<Container> inits = new ArrayList<>();
      inits.add(fetch);
      if (pod.getInitContainers() != null) {
        inits.addAll(pod.getInitContainers());
      }
      pod.setInitContainers(inits);
    } else {
      pod.getVolumes().add(secret
          ? content.withSecret(new SecretVolumeSourceBuilder().withSecretName(name)
              .addNewItem().withKey(SnapshotFormat.CONTENT_KEY).withPath(fileName).endItem().build()).build()
          : content.withConfigMap(new ConfigMapVolumeSourceBuilder().withName(name)
              .addNewItem().withKey(SnapshotFormat.CONTENT_KEY).withPath(fileName).endItem().build()).build());
    }
    pod.setServiceAccountName(serviceAccount);
    pod.setAutomountServiceAccountToken(false);
    PodSecurityContext podContext = pod.getSecurityContext() == null ? new PodSecurityContext() : pod.getSecurityContext();
    podContext.setRunAsNonRoot(true);
    if (podContext.getSeccompProfile() == null) {
      podContext.setSeccompProfile(new SeccompProfileBuilder().withType("RuntimeDefault").build());
    }
    pod.setSecurityContext(podContext);
    List<Container> containers = new ArrayList<>(pod.getContainers());
    if (pod.getInitContainers() != null) {
      containers.addAll(pod.getInitContainers());
    }
    for (Container container : containers) {
      SecurityContext context = container.getSecurityContext() == null ? new SecurityContext() : container.getSecurityContext();
      context.setAllowPrivilegeEscalation(false);
      context.setCapabilities(new CapabilitiesBuilder().withDrop("ALL").build());
      container.setSecurityContext(context);
    }
    for (Container container : pod.getContainers()) {
      if (container.getVolumeMounts() == null) {
        container.setVolumeMounts(new ArrayList<>());
      }
      container.getVolumeMounts().add(new VolumeMountBuilder().withName("wavegate-content").withMountPath(MOUNT_PATH)
          .withReadOnly(true).build());
    }
    pod.setRestartPolicy("Never");
    long timeoutSeconds = timeout(spec).toSeconds();
    return new JobBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace)
        .addToLabels(SnapshotFormat.CHANNEL_LABEL, rollout.channel())
        .addToAnnotations(SnapshotFormat.SHA256_ANNOTATION, digest)
        .withOwnerReferences(Snapshots.ownedBy(rollout))
        .endMetadata()
        .withNewSpec().withBackoffLimit(0).withActiveDeadlineSeconds(Math.max(1, timeoutSeconds))
        .withTtlSecondsAfterFinished(86400).withTemplate(template).endSpec()
        .build();
  }

  private static Duration timeout(ValidatorJobSpec spec) {
    return Durations.parse(spec.getTimeout(), DEFAULT_TIMEOUT);
  }

  private static Optional<JobCondition> failedCondition(Job job) {
    return job.getStatus().getConditions() == null ? Optional.empty() : job.getStatus().getConditions().stream()
        .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
  }
}
