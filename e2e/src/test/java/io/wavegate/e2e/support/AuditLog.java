package io.wavegate.e2e.support;

import io.wavegate.sim.Chart;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The test API server's audit log, read for what the chart's identities did: every request of the
 * operator's and the agent's service accounts (and of agents outside a pod), allowed or refused.
 * Each test class's server writes its own log; {@link #summarize} turns it into the lines
 * {@code RbacAuditReportTest} adds up over every suite.
 */
public final class AuditLog {

  static final String POLICY = String.join("\n",
      "apiVersion: audit.k8s.io/v1",
      "kind: Policy",
      "omitStages: [RequestReceived]",
      "rules:",
      "- level: None",
      "  users: [system:apiserver]",
      "- level: Metadata",
      "");

  private AuditLog() {}

  /** Where every suite's audit files go (e2e/target/audit/). */
  public static Path dir() {
    return Path.of(System.getProperty("wavegate.auditDir", "target/audit")).toAbsolutePath();
  }

  /** The kube-apiserver flags for a fresh log of {@code suite}. */
  static List<String> flags(String suite) {
    try {
      Files.createDirectories(dir());
      Path policy = dir().resolve("policy.yaml");
      Files.writeString(policy, POLICY);
      Path log = log(suite);
      Files.deleteIfExists(log);
      Files.deleteIfExists(summary(suite));
      return List.of("--audit-policy-file", policy.toString(), "--audit-log-path", log.toString(),
          "--audit-log-format", "json", "--audit-log-mode", "blocking");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A fresh log path for {@code suite} on an API server this project does not start itself (the
   * real-node tier's, whose script takes the path): {@link #summarize} reads it like the others.
   */
  public static Path freshLog(String suite) {
    try {
      Files.createDirectories(dir());
      Files.deleteIfExists(log(suite));
      Files.deleteIfExists(summary(suite));
      return log(suite);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path log(String suite) {
    return dir().resolve(suite + ".log");
  }

  public static Path summary(String suite) {
    return dir().resolve(suite + ".tsv");
  }

  /** A request of a chart identity: who, what on which resource where, and whether it was refused. */
  public record Request(String identity, String verb, String resource, String namespace, int code, String message) {

    public boolean refused() {
      return code == 401 || code == 403;
    }

    /** identity verb resource namespace, as the summary and the report write it. */
    public String key() {
      return identity + "\t" + verb + "\t" + resource + "\t" + namespace;
    }
  }

  /** The chart identity of a user name, if it is one: operator, agent, external-agent. */
  public static Optional<String> identity(String username) {
    if (username == null) {
      return Optional.empty();
    }
    if (username.equals(Chart.OPERATOR_USER)) {
      return Optional.of("operator");
    }
    if (username.equals(Chart.AGENT_USER)) {
      return Optional.of("agent");
    }
    if (username.startsWith("wavegate:agent:")) {
      return Optional.of("external-agent");
    }
    return Optional.empty();
  }

  /** The requests of the chart's identities in {@code suite}'s log. */
  public static List<Request> read(String suite) {
    List<Request> requests = new ArrayList<>();
    Path log = log(suite);
    if (!Files.exists(log)) {
      return requests;
    }
    try (BufferedReader lines = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        JsonNode event = Serialization.jsonMapper().readTree(line);
        if (!"ResponseComplete".equals(event.path("stage").asText()) && !"Panic".equals(event.path("stage").asText())) {
          continue;
        }
        String user = event.has("impersonatedUser") ? event.path("impersonatedUser").path("username").asText()
            : event.path("user").path("username").asText();
        Optional<String> identity = identity(user);
        if (identity.isEmpty()) {
          continue;
        }
        JsonNode ref = event.path("objectRef");
        String group = ref.path("apiGroup").asText("");
        String resource = (group.isEmpty() ? "" : group + "/") + ref.path("resource").asText(event.path("requestURI")
            .asText()) + (ref.hasNonNull("subresource") ? "/" + ref.path("subresource").asText() : "");
        String namespace = ref.path("namespace").asText("");
        JsonNode status = event.path("responseStatus");
        requests.add(new Request(identity.get(), event.path("verb").asText(), resource,
            namespace.isEmpty() ? "(cluster)" : namespace, status.path("code").asInt(200), status.path("message").asText("")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return requests;
  }

  /**
   * Writes {@code suite}'s summary (used: how often each identity made each request that was allowed;
   * refused: each refusal, and whether the suite expected it) and returns the refusals no one expected.
   */
  public static List<Request> summarize(String suite, List<ExpectedRefusal> expected) {
    return summarize(suite, expected, Integer.MAX_VALUE);
  }

  /**
   * As above, every refusal from the {@code expectAllFrom}-th request of the chart's identities on
   * expected: after `helm uninstall` began, whose RBAC goes while the pods still end.
   */
  public static List<Request> summarize(String suite, List<ExpectedRefusal> expected, int expectAllFrom) {
    Map<String, Integer> used = new TreeMap<>();
    Map<String, String> refused = new TreeMap<>();
    List<Request> unexpected = new ArrayList<>();
    List<Request> requests = read(suite);
    for (int i = 0; i < requests.size(); i++) {
      Request request = requests.get(i);
      if (request.refused()) {
        boolean wasExpected = i >= expectAllFrom || expected.stream().anyMatch(e -> e.matches(request));
        refused.putIfAbsent(request.key(), (wasExpected ? "expected" : "UNEXPECTED") + "\t" + request.message()
            .replaceAll("\\s+", " "));
        if (!wasExpected) {
          unexpected.add(request);
        }
      } else {
        used.merge(request.key(), 1, Integer::sum);
      }
    }
    StringBuilder text = new StringBuilder();
    used.forEach((key, count) -> text.append("used\t").append(key).append('\t').append(count).append('\n'));
    refused.forEach((key, verdict) -> text.append("refused\t").append(key).append('\t').append(verdict).append('\n'));
    try {
      Files.writeString(summary(suite), text.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return unexpected;
  }

  /** A refusal a test class provokes on purpose: identity, verb and resource (group/resource[/sub]), "*" for any. */
  public record ExpectedRefusal(String identity, String verb, String resource) {

    boolean matches(Request request) {
      return (identity.equals("*") || identity.equals(request.identity())) && (verb.equals("*")
          || verb.equals(request.verb())) && (resource.equals("*") || resource.equals(request.resource()));
    }
  }
}
