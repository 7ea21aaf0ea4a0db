package io.wavegate.e2e.support;

import io.wavegate.sim.Chart;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBindingBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.wavegate.contract.NodeContents;
import java.time.Duration;
import java.util.Optional;

/**
 * The API server refuses the operator's NodeContent writes (a ValidatingAdmissionPolicy) for the
 * nodes a CEL condition on {@code object} selects, until closed; open once the policy is in force.
 */
public final class RefusedOperatorWrites implements AutoCloseable {

  public static final String MESSAGE = "node frozen by the test";

  private final KubernetesClient admin;
  private final String name;

  /** @param refusedWhen CEL over {@code object} (the NodeContent written), e.g. {@code object.metadata.name == 'n1'} */
  public RefusedOperatorWrites(KubernetesClient admin, String name, String refusedWhen, String probeNode) {
    this.admin = admin;
    this.name = name;
    admin.resource(new ValidatingAdmissionPolicyBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
        .withFailurePolicy("Fail").withNewMatchConstraints().addNewResourceRule().withApiGroups("wavegate.io")
        .withApiVersions("*").withResources("nodecontents").withOperations("CREATE", "UPDATE").endResourceRule()
        .endMatchConstraints()
        .addNewMatchCondition().withName("operator").withExpression("request.userInfo.username == '"
            + Chart.OPERATOR_USER + "'").endMatchCondition()
        .addNewValidation().withExpression("!(" + refusedWhen + ")").withMessage(MESSAGE).endValidation().endSpec()
        .build()).create();
    admin.resource(new ValidatingAdmissionPolicyBindingBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withPolicyName(name).withValidationActions("Deny").endSpec().build()).create();
    KubernetesClient asOperator = Chart.asOperator(admin);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      try {
        asOperator.resource(NodeContents.assignmentApply(probeNode, null, "probe", Optional.empty())).dryRun().create();
        return false;
      } catch (KubernetesClientException refused) {
        return refused.getMessage().contains(MESSAGE); // the policy is in force
      }
    });
  }

  @Override
  public void close() {
    admin.admissionRegistration().v1().validatingAdmissionPolicyBindings().withName(name).delete();
    admin.admissionRegistration().v1().validatingAdmissionPolicies().withName(name).delete();
  }
}
