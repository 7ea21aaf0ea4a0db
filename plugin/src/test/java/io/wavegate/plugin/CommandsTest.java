package io.wavegate.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.HistoryStatus;
import io.wavegate.api.RolloutAction;
import io.wavegate.contract.NodeContent;
import java.io.IOException;
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
    rollout("progressing.yaml", "sensor-channel-291", r -> { });
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
    for (var item : Serialization.unmarshal(resource("nodecontents.yaml"), KubernetesList.class).getItems()) {
      client.resource(Serialization.unmarshal(Serialization.asJson(item), NodeContent.class)).create();
    }
  }

  @ParameterizedTest(name = "kubectl wavegate {0}")
  @CsvSource(delimiter = '|', value = {
      "list                          | list.txt           | 0",
      "get sensor-channel-291        | get.txt            | 0",
      "nodes typo                    | nodes.txt          | 0",
      "plan typo                     | plan.txt           | 0",
      "history sensor-channel-292    | history.txt        | 0",
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
