package io.wavegate.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentUpdatePolicy;
import io.wavegate.api.HistoryStatus;
import io.wavegate.api.RolloutAction;
import io.wavegate.contract.NodeContent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * Every command of the plugin, as Argo Rollouts tests each command of its plugin: run on a cluster
 * of fixtures (an API server that keeps what is written, Fabric8's CRUD mock), its output compared
 * byte for byte with src/test/resources/commands/COMMAND.txt, its exit code, and what it wrote.
 * After a deliberate change of a command's output, {@code -Dwavegate.updateFixtures=true} rewrites
 * the fixtures; review their diff.
 * PluginTest runs the packaged plugin against a real API server.
 */
@EnableKubernetesMockClient(crud = true)
class CommandsTest {

  KubernetesClient client;

  @BeforeEach
  void cluster() throws IOException {
    rollout("progressing.yaml", "sensor-channel-291", r -> {
      // the early-access canary done, and a wave for the pinned gpu pool (commands/policies.yaml)
      r.getStatus().setGenerallyAvailableAt("2026-12-01T12:00:00Z");
      r.getStatus().setStableDigest("1a2b3c4d5e6f" + "0".repeat(52));
      io.wavegate.api.HoldStatus delayed = new io.wavegate.api.HoldStatus();
      delayed.setPolicy("broad-nights");
      delayed.setReason("Delayed");
      delayed.setCount(18);
      r.getStatus().setHolds(List.of(delayed));
      io.wavegate.api.WaveSpec gpu = new io.wavegate.api.WaveSpec();
      gpu.setName("gpu");
      gpu.setPools(List.of("gpu"));
      r.getSpec().getStrategy().setWaves(new java.util.ArrayList<>(r.getSpec().getStrategy().getWaves()));
      r.getSpec().getStrategy().getWaves().add(gpu);
    });
    rollout("rolled-back.yaml", "sensor-channel-292", r -> {
      r.getStatus().setHistory(List.of(
          history("96572a4b6a91" + "0".repeat(52), "Succeeded", null, "2026-12-01T09:00:00Z", "2026-12-01T09:20:00Z"),
          history("12e35e4fd1e3" + "0".repeat(52), "RolledBack", "PodsCrashing", "2026-12-01T11:00:00Z",
              "2026-12-01T11:00:09Z")));
      r.getStatus().setFailedRevisions(List.of("12e35e4fd1e3" + "0".repeat(52)));
    });
    // the revision its nodes hold (commands/nodecontents.yaml)
    rollout("waiting.yaml", "typo", r -> r.getSpec().getContent().setSha256("9f2c1e0b7a6d" + "0".repeat(52)));
    for (Node node : Serialization.unmarshal(RolloutViewTest.resource("plan-nodes.yaml"), KubernetesList.class)
        .getItems().stream().map(Node.class::cast).toList()) {
      client.resource(node).create();
    }
    createAll("nodecontents.yaml", NodeContent.class);
    createAll("policies.yaml", ContentUpdatePolicy.class);
    createAll("templates.yaml", io.wavegate.api.ContentMetricTemplate.class);
    // the platform team edits node-reboots: the rollout last measured the generation before
    client.resources(io.wavegate.api.ContentMetricTemplate.class).withName("node-reboots").edit(t -> {
      t.getSpec().setInterval("1m");
      return t;
    });
  }

  /** Each item of the fixture list commands/FILE, created as TYPE (a list's items are read untyped). */
  private <T extends io.fabric8.kubernetes.api.model.HasMetadata> void createAll(String file, Class<T> type)
      throws IOException {
    for (var item : Serialization.unmarshal(resource(file), KubernetesList.class).getItems()) {
      client.resource(Serialization.unmarshal(Serialization.asJson(item), type)).create();
    }
  }

  @ParameterizedTest(name = "kubectl wavegate {0}")
  @CsvSource(delimiter = '|', value = {
      "list                          | list.txt           | 0",
      "get sensor-channel-291        | get.txt            | 0",
      "nodes typo                    | nodes.txt          | 0",
      "plan typo                     | plan.txt           | 0",
      "plan sensor-channel-291       | plan-held.txt      | 0",
      "nodes sensor-channel-291      | nodes-held.txt     | 0",
      "policies                      | policies.txt       | 0",
      "templates                     | templates.txt      | 0",
      "history sensor-channel-292    | history.txt        | 0",
      "history -o wide sensor-channel-292 | history-wide.txt | 0",
      "lint -f src/test/resources/lint/valid.yaml    | lint-valid.txt    | 0",
      "lint -f src/test/resources/lint/invalid.yaml  | lint-invalid.txt  | 1",
      "lint -f src/test/resources/lint/warnings.yaml | lint-warnings.txt | 0",
      "lint --strict -f src/test/resources/lint/warnings.yaml | lint-strict.txt | 1",
      "lint -f src/test/resources/lint/broken.yaml   | lint-broken.txt   | 2",
      "lint -f src/test/resources/lint/templates.yaml | lint-templates.txt | 1",
      "status sensor-channel-292     | status-failed.txt  | 1",
      "status --timeout 0s typo      | status-timeout.txt | 3",
      "status nothing-of-that-name   | status-missing.txt | 4",
      "stop                          | stop.txt           | 0",
      "stop --revision 41b4f62c9a12  | stop-revision.txt  | 0",
  })
  void printsWhatTheFixtureSays(String args, String fixture, int exitCode) throws IOException {
    Run run = run(args.split(" "));
    if (Boolean.getBoolean("wavegate.updateFixtures")) { // after a deliberate change of output: review the diff
      java.nio.file.Files.writeString(java.nio.file.Path.of("src/test/resources/commands", fixture), run.out());
    }

    assertThat(run.out()).isEqualTo(resource(fixture));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
  }

  @ParameterizedTest(name = "kubectl wavegate {0} typo")
  @CsvSource({"promote, promoted", "approve, 'approved: the waiting wave starts'", "abort, 'aborted: rolling back'",
      "retry, retried"})
  void anActionAnnotatesTheRolloutOnce(String command, String said) {
    Run run = run(command, "typo");

    assertThat(run.out()).isEqualTo("typo " + said + "\n");
    assertThat(run.exitCode()).isZero();
    Map<String, String> annotations = client.resources(ContentRollout.class).withName("typo").get().getMetadata()
        .getAnnotations();
    assertThat(annotations).containsOnlyKeys(RolloutAction.valueOf(command.toUpperCase()).annotation());
  }

  @Test
  void pauseAndResumeSetSpecPaused() {
    assertThat(run("pause", "typo").out()).isEqualTo("typo paused\n");
    assertThat(client.resources(ContentRollout.class).withName("typo").get().getSpec().getPaused()).isTrue();

    assertThat(run("resume", "typo").out()).isEqualTo("typo resumed\n");
    assertThat(client.resources(ContentRollout.class).withName("typo").get().getSpec().getPaused()).isFalse();
  }

  @Test
  void pinUnpinAndOverrideWriteTheNodeOwnersPolicy() {
    String revision = "41b4f62c9a12" + "a".repeat(52);
    assertThat(run("pin", "broad-nights", revision, "--for", "72h").out())
        .isEqualTo("broad-nights pinned to 41b4f62c9a12 until 2026-12-04T12:04:30Z\n");
    assertThat(policy("broad-nights").getSpec().getPin().getRevision()).isEqualTo(revision);
    assertThat(policy("broad-nights").getSpec().getPin().getUntil()).isEqualTo("2026-12-04T12:04:30Z");

    assertThat(run("unpin", "broad-nights").out()).isEqualTo("broad-nights unpinned\n");
    assertThat(policy("broad-nights").getSpec().getPin()).isNull();

    assertThat(run("override", "broad-nights", "allow").out()).isEqualTo("broad-nights overridden: allow\n");
    assertThat(policy("broad-nights").getSpec().getOverride()).isEqualTo(io.wavegate.api.PolicyOverride.Allow);
    assertThat(run("override", "broad-nights", "clear").out()).isEqualTo("broad-nights override cleared\n");
    assertThat(policy("broad-nights").getSpec().getOverride()).isNull();

    Run bad = run("override", "broad-nights", "maybe");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).startsWith("override takes allow, pause or clear: maybe");
    assertThat(run("pin", "nothing-of-that-name", revision).err()).startsWith("no ContentUpdatePolicy nothing-of-that-name");
    assertThat(run("pin", "broad-nights", "41b4f62c9a12").err()).startsWith("pin takes the 64 hex");
  }

  private ContentUpdatePolicy policy(String name) {
    return client.resources(ContentUpdatePolicy.class).withName(name).get();
  }

  @Test
  void stopAbortsOnlyTheRolloutsInFlight() {
    run("stop");

    assertThat(annotations("sensor-channel-291")).containsKey(RolloutAction.ABORT.annotation());
    assertThat(annotations("typo")).containsKey(RolloutAction.ABORT.annotation());
    assertThat(annotations("sensor-channel-292")).as("rolled back already")
        .doesNotContainKey(RolloutAction.ABORT.annotation());
  }

  @Test
  void aBadRevisionAndAMissingRolloutAreOneLineErrors() {
    Run badRevision = run("stop", "--revision", "41b4");
    assertThat(badRevision.exitCode()).isEqualTo(2);
    assertThat(badRevision.err()).startsWith("--revision takes the sha256 of the content");

    Run missing = run("abort", "nothing-of-that-name");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).startsWith("no ContentRollout nothing-of-that-name");
  }

  @Test
  void theDashboardServesItsPagePicturesAndActionsOnlyWithItsToken() throws Exception {
    try (Dashboard dashboard = Dashboard.start(client, new Dashboard.Options("127.0.0.1", 0, false, false),
        Clock.fixed(RolloutViewTest.NOW, ZoneOffset.UTC))) {
      String page = get(dashboard.url(), null).body();
      String token = page.replaceAll("(?s).*name=\"wavegate-token\" content=\"([0-9a-f]+)\".*", "$1");
      assertThat(token).as("the page carries the session's token").matches("[0-9a-f]{32}");
      assertThat(get(dashboard.url() + "api/rollouts", null).statusCode()).as("no token").isEqualTo(401);
      assertThat(get(dashboard.url() + "api/rollouts", "0".repeat(32)).statusCode()).as("a wrong one").isEqualTo(401);
      assertThat(get(dashboard.url() + "api/rollouts", token).body()).contains("\"sensor-channel-291\"", "\"typo\"");
      assertThat(get(dashboard.url() + "api/rollouts/sensor-channel-291", token).body()).contains("\"map\"",
          "\"groups\"", "\"Stable\"");
      assertThat(get(dashboard.url() + "api/rollouts/nothing", token).statusCode()).isEqualTo(404);

      HttpResponse<String> paused = post(dashboard.url() + "api/rollouts/sensor-channel-291/pause", token);
      assertThat(paused.body()).contains("sensor-channel-291 paused");
      assertThat(client.resources(ContentRollout.class).withName("sensor-channel-291").get().getSpec().getPaused())
          .isTrue();
      assertThat(post(dashboard.url() + "api/rollouts/sensor-channel-291/explode", token).statusCode()).isEqualTo(404);

      try (var lines = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(dashboard.url()
          + "api/stream?rollout=typo&token=" + token)).build(), HttpResponse.BodyHandlers.ofLines()).body()) {
        assertThat(lines.filter(l -> !l.isEmpty()).findFirst().orElseThrow()).startsWith("data: {")
            .contains("\"detail\"", "\"name\":\"typo\"");
      }
      try (var socket = new java.net.Socket("127.0.0.1", URI.create(dashboard.url()).getPort())) {
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: rebound.example:80\r\nConnection: close\r\n\r\n"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
            .as("another name for the address (DNS rebinding)").startsWith("HTTP/1.1 403");
      }
    }
  }

  @Test
  void theDashboardReadOnlyRefusesActionsAndRefusesAnotherAddressWithoutAllowRemote() throws Exception {
    try (Dashboard dashboard = Dashboard.start(client, new Dashboard.Options("127.0.0.1", 0, true, false),
        Clock.systemUTC())) {
      String page = get(dashboard.url(), null).body();
      String token = page.replaceAll("(?s).*name=\"wavegate-token\" content=\"([0-9a-f]+)\".*", "$1");
      assertThat(page).contains("name=\"wavegate-read-only\" content=\"true\"");
      assertThat(post(dashboard.url() + "api/rollouts/typo/abort", token).statusCode()).isEqualTo(403);
      assertThat(post(dashboard.url() + "api/stop", token).statusCode()).isEqualTo(403);
      assertThat(annotations("typo")).doesNotContainKey(RolloutAction.ABORT.annotation());
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Dashboard.start(client,
        new Dashboard.Options("0.0.0.0", 0, false, false), Clock.systemUTC()))
        .hasMessageContaining("--allow-remote");
  }

  private static HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (token != null) {
      request.header("X-Wavegate-Token", token);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String url, String token) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("X-Wavegate-Token", token)
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private record Run(int exitCode, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new WavegateCli(() -> client, Clock.fixed(RolloutViewTest.NOW, ZoneOffset.UTC)).commandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exitCode = command.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private Map<String, String> annotations(String rollout) {
    Map<String, String> annotations = client.resources(ContentRollout.class).withName(rollout).get().getMetadata()
        .getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }

  private void rollout(String fixture, String name, java.util.function.Consumer<ContentRollout> edit) throws IOException {
    ContentRollout rollout = Serialization.unmarshal(RolloutViewTest.resource(fixture), ContentRollout.class);
    rollout.getMetadata().setName(name);
    edit.accept(rollout);
    rollout.getMetadata().setGeneration(1L);
    rollout.getStatus().setObservedGeneration(1L); // the operator has seen this spec
    client.resource(rollout).create();
  }

  private static HistoryStatus history(String revision, String outcome, String reason, String started, String finished) {
    HistoryStatus entry = new HistoryStatus();
    entry.setRevision(revision);
    entry.setOutcome(outcome);
    entry.setReason(reason);
    entry.setStartedAt(started);
    entry.setFinishedAt(finished);
    return entry;
  }

  static String resource(String name) throws IOException {
    try (var in = CommandsTest.class.getResourceAsStream("/commands/" + name)) {
      if (in == null) {
        throw new IOException("no fixture commands/" + name);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
