package io.wavegate.e2e.support;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;

/** Plays the Job controller, which does not run next to a bare API server: ends a Job as it would. */
public final class JobController {

  private JobController() {}

  public static void finish(KubernetesClient client, Job job, boolean succeeded) {
    String now = Instant.now().toString();
    JobStatusBuilder status = new JobStatusBuilder().withStartTime(now);
    if (succeeded) {
      status.withSucceeded(1).withCompletionTime(now)
          .addNewCondition().withType("SuccessCriteriaMet").withStatus("True").withLastTransitionTime(now).endCondition()
          .addNewCondition().withType("Complete").withStatus("True").withLastTransitionTime(now).endCondition();
    } else {
      status.withFailed(1)
          .addNewCondition().withType("FailureTarget").withStatus("True").withReason("BackoffLimitExceeded")
          .withLastTransitionTime(now).endCondition()
          .addNewCondition().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
          .withMessage("Job has reached the specified backoff limit").withLastTransitionTime(now).endCondition();
    }
    String namespace = job.getMetadata().getNamespace();
    Job current = client.batch().v1().jobs().inNamespace(namespace).withName(job.getMetadata().getName()).get();
    current.setStatus(status.build());
    client.batch().v1().jobs().inNamespace(namespace).resource(current).updateStatus();
  }
}
