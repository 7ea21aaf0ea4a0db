package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.e2e.support.AuditLog;
import io.wavegate.sim.Chart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * RBAC proven both ways from the API server's audit logs of every suite: which grants of the chart
 * the operator and the agent used, which they never used (each must be justified in docs/rbac.md),
 * and every refusal (each suite already failed on a refusal it did not expect). The report is kept
 * as e2e/target/audit/rbac-report.md. Runs after every other suite.
 */
@Order(Integer.MAX_VALUE)
class RbacAuditReportTest {

  /** A permission the chart gives one of its identities: verb on group/resource, in a namespace or "*". */
  record Grant(String identity, String verb, String resource, String namespace) {

    boolean usedBy(String[] used) {
      return identity.equals(used[1].equals("external-agent") ? "agent" : used[1]) && verb.equals(used[2])
          && resource.equals(used[3]) && (namespace.equals("*") || namespace.equals(used[4]));
    }

    String named() {
      return identity + " " + verb + " " + resource + ("*".equals(namespace) ? "" : " in " + namespace);
    }
  }

  @Test
  void everyGrantOfTheChartIsUsedOrJustifiedAndNoRefusalWasUnexpected() throws Exception {
    List<String> suites = suitesWithAnApiServer();
    List<String> missing = suites.stream().filter(s -> !Files.exists(AuditLog.summary(s))).toList();
    Assumptions.assumeTrue(missing.isEmpty(), "only after every suite ran (missing: " + missing + ")");

    List<String[]> lines = new ArrayList<>();
    for (String suite : suites) {
      for (String line : Files.readAllLines(AuditLog.summary(suite))) {
        String[] fields = line.split("\t", -1);
        lines.add(Stream.concat(Stream.of(fields), Stream.of(suite)).toArray(String[]::new));
      }
    }
    List<String[]> used = lines.stream().filter(l -> l[0].equals("used")).toList();
    List<String[]> refused = lines.stream().filter(l -> l[0].equals("refused")).toList();
    List<Grant> grants = grants();
    List<Grant> unused = grants.stream().filter(g -> used.stream().noneMatch(g::usedBy)).toList();
    Set<String> ungranted = new TreeSet<>();
    for (String[] u : used) {
      if (!everyonesRight(u[3]) && grants.stream().noneMatch(g -> g.usedBy(u))) {
        ungranted.add(u[1] + " " + u[2] + " " + u[3] + " in " + u[4]);
      }
    }

    StringBuilder report = new StringBuilder("# RBAC from the audit logs of " + suites.size() + " suites\n\n");
    report.append("## Grants used (identity, verb, resource: requests)\n\n");
    for (Grant grant : grants) {
      long count = used.stream().filter(grant::usedBy).mapToLong(u -> Long.parseLong(u[5])).sum();
      report.append("- ").append(grant.named()).append(": ").append(count).append('\n');
    }
    report.append("\n## Grants no request used\n\n");
    unused.forEach(g -> report.append("- ").append(g.named()).append('\n'));
    report.append("\n## Refusals, and whether their suite expected them\n\n");
    // refused, identity, verb, resource, namespace, verdict, message, suite
    refused.forEach(r -> report.append("- ").append(r[7]).append(": ").append(r[1]).append(' ').append(r[2]).append(' ')
        .append(r[3]).append(" in ").append(r[4]).append(" (").append(r[5]).append("): ").append(r[6]).append('\n'));
    Files.writeString(AuditLog.dir().resolve("rbac-report.md"), report.toString());
    System.out.println(report);

    assertThat(refused).as("refusals no suite expected").noneMatch(r -> r[5].startsWith("UNEXPECTED"));
    assertThat(ungranted).as("requests allowed by no grant of the chart (an admin's rights leaking in?)").isEmpty();
    String rbacDoc = Files.readString(ApiServer.repoRoot().resolve("docs/rbac.md"));
    assertThat(unused).as("grants no request used, each justified in docs/rbac.md under 'Grants no test uses'")
        .allSatisfy(g -> assertThat(rbacDoc).contains("`" + g.named() + "`"));
  }

  /** What Kubernetes grants every authenticated user itself (discovery, "what may I do?" reviews). */
  static boolean everyonesRight(String resource) {
    return resource.startsWith("/") || resource.equals("authorization.k8s.io/selfsubjectaccessreviews")
        || resource.equals("authorization.k8s.io/selfsubjectrulesreviews")
        || resource.equals("authentication.k8s.io/selfsubjectreviews");
  }

  /** Every permission the rendered chart gives the operator's and the agent's service accounts. */
  static List<Grant> grants() {
    List<HasMetadata> objects;
    try (KubernetesClient offline = new KubernetesClientBuilder().build()) {
      objects = offline.load(new ByteArrayInputStream(Chart.render().getBytes(StandardCharsets.UTF_8))).items();
    }
    List<Grant> grants = new ArrayList<>();
    for (HasMetadata object : objects) {
      if (object instanceof ClusterRoleBinding binding) {
        identity(binding.getSubjects()).ifPresent(who -> rules(objects, binding.getRoleRef(), null)
            .forEach(rule -> add(grants, who, rule, "*")));
      } else if (object instanceof RoleBinding binding) {
        // a ClusterRole bound per namespace is bound in whichever namespaces the values name (sourceNamespaces)
        String namespace = binding.getRoleRef().getKind().equals("ClusterRole") ? "*"
            : binding.getMetadata().getNamespace();
        identity(binding.getSubjects()).ifPresent(who -> rules(objects, binding.getRoleRef(), namespace)
            .forEach(rule -> add(grants, who, rule, namespace)));
      }
    }
    return grants.stream().distinct().toList();
  }

  private static java.util.Optional<String> identity(List<Subject> subjects) {
    return subjects.stream().map(s -> "system:serviceaccount:" + s.getNamespace() + ":" + s.getName())
        .map(AuditLog::identity).flatMap(java.util.Optional::stream).findFirst();
  }

  private static List<PolicyRule> rules(List<HasMetadata> objects, RoleRef ref, String namespace) {
    for (HasMetadata object : objects) {
      if (ref.getKind().equals("ClusterRole") && object instanceof ClusterRole role
          && role.getMetadata().getName().equals(ref.getName())) {
        return role.getRules();
      }
      if (ref.getKind().equals("Role") && object instanceof Role role && role.getMetadata().getName().equals(ref.getName())
          && role.getMetadata().getNamespace().equals(namespace)) {
        return role.getRules();
      }
    }
    throw new IllegalStateException("the chart binds " + ref.getKind() + " " + ref.getName() + ", which it does not define");
  }

  private static void add(List<Grant> grants, String identity, PolicyRule rule, String namespace) {
    for (String group : rule.getApiGroups()) {
      for (String resource : rule.getResources()) {
        for (String verb : rule.getVerbs()) {
          grants.add(new Grant(identity, verb, (group.isEmpty() ? "" : group + "/") + resource, namespace));
        }
      }
    }
  }

  /** The e2e test classes that start a test API server (each writes its audit summary when it stops). */
  static List<String> suitesWithAnApiServer() throws IOException, ClassNotFoundException {
    Path classes = Path.of(RbacAuditReportTest.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    List<String> suites = new ArrayList<>();
    try (Stream<Path> files = Files.list(classes.resolve("io/wavegate/e2e"))) {
      for (Path file : files.filter(f -> f.getFileName().toString().matches("[A-Za-z0-9]+Test\\.class")).toList()) {
        String name = file.getFileName().toString().replace(".class", "");
        for (Field field : Class.forName("io.wavegate.e2e." + name).getDeclaredFields()) {
          if (Modifier.isStatic(field.getModifiers()) && field.getType() == ApiServer.class) {
            suites.add(name);
          }
        }
      }
    }
    return suites.stream().sorted().toList();
  }
}
