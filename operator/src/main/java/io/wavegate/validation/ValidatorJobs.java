package io.wavegate.validation;

import io.fabric8.kubernetes.api.model.ConfigMapVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.Container;
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
import io.wavegate.delivery.NodeKeys;
import io.wavegate.delivery.Snapshots;
import io.wavegate.api.Durations;
import io.wavegate.validation.GateResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;

/**
 * The last gate: a Job that loads the exact snapshot bytes with the real consumer. The snapshot is
 * mounted read-only at /content/&lt;fileName&gt;; exit 0 passes, failure or timeout rejects.
 */
public final class ValidatorJobs {

  public static final String MOUNT_PATH = "/content";
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  private final KubernetesClient client;
  private final String namespace;

  public ValidatorJobs(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  public static String jobName(String channel, String digest) {
    return "wavegate-validate-" + channel + "-" + NodeKeys.shortRevision(digest);
  }

  /** Starts the Job if it is not there yet and turns its state into a gate result. */
  public GateResult check(ContentRollout rollout, ValidatorJobSpec spec, String digest, String fileName, Instant now) {
    String name = jobName(rollout.channel(), digest);
    Job job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    if (job == null) {
      job = client.batch().v1().jobs().inNamespace(namespace).resource(build(rollout, spec, digest, fileName, name)).create();
    }
    Duration timeout = timeout(spec);
    if (job.getStatus() != null && job.getStatus().getSucceeded() != null && job.getStatus().getSucceeded() > 0) {
      return GateResult.passed("validator Job " + namespace + "/" + name + " loaded the content and exited 0");
    }
    if (job.getStatus() != null && job.getStatus().getFailed() != null && job.getStatus().getFailed() > 0) {
      String why = failedCondition(job).map(c -> ": " + c.getReason() + (c.getMessage() == null ? "" : " " + c.getMessage()))
          .orElse("");
      return GateResult.rejected(RejectReason.ValidatorJobFailed.name(),
          "validator Job " + namespace + "/" + name + " failed" + why);
    }
    Instant started = Instant.parse(job.getMetadata().getCreationTimestamp());
    if (!now.isBefore(started.plus(timeout))) {
      return GateResult.rejected(RejectReason.ValidatorJobFailed.name(), "validator Job " + namespace + "/" + name
          + " did not finish within its timeout of " + spec.getTimeout());
    }
    return GateResult.pending("ValidatorJobRunning", "validator Job " + namespace + "/" + name + " is running");
  }

  private Job build(ContentRollout rollout, ValidatorJobSpec spec, String digest, String fileName, String name) {
    PodTemplateSpec template = Serialization.clone(spec.getTemplate());
    if (template.getSpec().getVolumes() == null) {
      template.getSpec().setVolumes(new ArrayList<>());
    }
    template.getSpec().getVolumes().add(new VolumeBuilder().withName("wavegate-content")
        .withConfigMap(new ConfigMapVolumeSourceBuilder().withName(Snapshots.name(rollout.channel(), digest))
            .addNewItem().withKey(Snapshots.CONTENT_KEY).withPath(fileName).endItem().build())
        .build());
    for (Container container : template.getSpec().getContainers()) {
      if (container.getVolumeMounts() == null) {
        container.setVolumeMounts(new ArrayList<>());
      }
      container.getVolumeMounts().add(new VolumeMountBuilder().withName("wavegate-content").withMountPath(MOUNT_PATH)
          .withReadOnly(true).build());
    }
    template.getSpec().setRestartPolicy("Never");
    long timeoutSeconds = timeout(spec).toSeconds();
    return new JobBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace)
        .addToLabels(Snapshots.CHANNEL_LABEL, rollout.channel())
        .addToAnnotations(Snapshots.SHA256_ANNOTATION, digest)
        .addNewOwnerReference().withApiVersion(rollout.getApiVersion()).withKind(rollout.getKind())
        .withName(rollout.getMetadata().getName()).withUid(rollout.getMetadata().getUid()).endOwnerReference()
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
