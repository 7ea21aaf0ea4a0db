package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.KeyRef;
import io.wavegate.api.RolloutPhase;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.e2e.support.InstalledProduct;
import io.wavegate.sim.Chart;
import io.wavegate.sim.JarProcess;
import io.wavegate.plugin.WavegateCli;
import io.wavegate.sim.Rollouts;
import io.wavegate.sim.SimulatedFleet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** kubectl wavegate against a real API server, the operator and a simulated fleet: each command says what it should. */
class PluginTest {

  static final String NS = Chart.NAMESPACE;
  static final String FILE = "C-00000291.sys";

  @RegisterExtension
  static final ApiServer api = new ApiServer();

  private KubernetesClient client;

  record Run(int exit, String out) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = new WavegateCli(() -> client, Clock.systemUTC()).commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    int exit = cli.execute(args);
    return new Run(exit, out.toString());
  }

  @Test
  void planGetListNodesStatusHistoryAndTheActionsSayAndDoWhatTheyShould() throws Exception {
    client = api.client();
    String id = "p" + UUID.randomUUID().toString().substring(0, 6);
    Map<String, Integer> pools = new LinkedHashMap<>();
    pools.put("canary", 2);
    pools.put("early", 3);
    pools.put("broad", 4);
    // the packaged operator as the chart runs it; nothing here reaches into it
    try (InstalledProduct product = InstalledProduct.install(api);
        SimulatedFleet fleet = new SimulatedFleet(client, id, pools, node -> Chart.asAgentOn(client, node))) {
      product.startOperator("wavegate-operator-0", Map.of());
      fleet.addNode(id + "-gpu-0", "gpu"); // in the fleet, in no wave's pool
      String down = fleet.nodesInPool("broad").get(3);
      fleet.setReady(down, false);

      ContentRollout rollout = Rollouts.named(id, spec(id, "v1", "0s"));
      rollout.getSpec().getStrategy().getWaves().get(0).setMaxNodes(new io.fabric8.kubernetes.api.model.IntOrString(1));
      Path manifest = Files.createTempFile("rollout", ".yaml");
      Files.writeString(manifest, Serialization.asYaml(rollout));

      Run plan = run("plan", "-f", manifest.toString());
      assertThat(plan.exit()).isZero();
      assertThat(plan.out()).containsPattern("canary\\s+1\\s").containsPattern("early\\s+3\\s")
          .containsPattern("broad\\s+4\\s").contains("Fleet:            10 of ")
          .contains("Left out by maxNodes (no later wave takes them): 1").contains("Match no wave:    1  " + id + "-gpu-0")
          .contains("Not Ready now:    1  " + down);
      ContentRollout typo = Rollouts.named(id, spec(id, "v1", "0s"));
      typo.getSpec().getStrategy().getWaves().get(2).setPools(List.of("braod"));
      Path typoManifest = Files.createTempFile("typo", ".yaml");
      Files.writeString(typoManifest, Serialization.asYaml(typo));
      assertThat(run("plan", "-f", typoManifest.toString()).out())
          .containsPattern("broad\\s+0\\s+\\(none: the rollout waits here, NoMatchingNodes\\)")
          .contains("Waves with no node: 1  broad (a wave that matches no node never completes");

      client.resource(rollout).create();
      Run status = run("status", id, "--timeout", "60s");
      assertThat(status.exit()).as(status.out()).isEqualTo(WavegateCli.SUCCEEDED);
      assertThat(status.out()).contains(id + " Succeeded");

      Run get = run("get", id);
      System.out.println("[kubectl wavegate get]\n" + get.out()); // the output docs/kubectl-plugin.md shows
      assertThat(get.out()).contains("Phase:     Succeeded").containsPattern("canary\\s+Completed\\s+1\\s+1\\s+0")
          .containsPattern("broad\\s+Completed\\s+4\\s+3\\s+1").contains("Health:    unready 0");
      assertThat(run("list").out()).containsPattern(id + "\\s+Succeeded");
      // the packaged plugin, started by its launcher as kubectl would
      Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
      Files.writeString(kubeconfig, api.kubeconfigYaml());
      ProcessBuilder builder = new ProcessBuilder(ApiServer.repoRoot().resolve("plugin/kubectl-wavegate").toString(),
          "list").redirectErrorStream(true);
      builder.environment().put("KUBECONFIG", kubeconfig.toString());
      builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
      builder.environment().put("WAVEGATE_DEBUG", "1");
      builder.environment().put("XDG_CACHE_HOME", Files.createTempDirectory("cache").toString());
      org.junit.jupiter.api.Assumptions.assumeTrue(JarProcess.Jar.PLUGIN.built(), JarProcess.Jar.PLUGIN.missing());
      long[] millis = new long[3];
      for (int i = 0; i < millis.length; i++) {
        long started = System.nanoTime();
        Process process = builder.start();
        String listed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(listed).isZero();
        millis[i] = (System.nanoTime() - started) / 1_000_000;
        assertThat(listed).containsPattern(id + "\\s+Succeeded");
      }
      System.out.println("[figure] kubectl-wavegate list, the packaged jar through its launcher: " + millis[0]
          + " ms the first time (it writes its class archive), then " + millis[1] + " and " + millis[2] + " ms");
      Run nodes = run("nodes", id);
      assertThat(nodes.out()).containsPattern(fleet.nodesInPool("early").get(0) + "\\s+early\\s+early\\s+\\w{12}\\s+\\w{12}"
          + "\\s+Applied").doesNotContain(id + "-gpu-0");

      // a second revision, baking long in the canary: status times out, the actions steer it
      Rollouts.apply(client, id, spec(id, "v2", "10m"));
      await().atMost(Duration.ofSeconds(30)).until(() -> Rollouts.status(client, id).getPhase() == RolloutPhase.Progressing);
      assertThat(run("status", id, "--timeout", "2s").exit()).isEqualTo(WavegateCli.TIMED_OUT);
      assertThat(run("pause", id).out()).contains("paused");
      assertThat(client.resources(ContentRollout.class).withName(id).get().getSpec().getPaused()).isTrue();
      assertThat(run("resume", id).exit()).isZero();
      assertThat(client.resources(ContentRollout.class).withName(id).get().getSpec().getPaused()).isFalse();
      System.out.println("[kubectl wavegate get, second revision baking]\n" + run("get", id).out());
      assertThat(run("abort", id).out()).contains("rolling back");
      Run rolledBack = run("status", id, "--timeout", "60s");
      assertThat(rolledBack.exit()).as(rolledBack.out()).isEqualTo(WavegateCli.FAILED);
      assertThat(rolledBack.out()).contains("RolledBack");

      Run history = run("history", id);
      assertThat(history.out()).containsPattern("Succeeded").containsPattern("RolledBack\\s+Aborted")
          .contains("Failed (not retried on their own");

      // undo: the revision before goes out again from the operator's snapshot (with no bake this time); the
      // aborted one is refused without --force
      String failed = client.resources(ContentRollout.class).withName(id).get().getSpec().getContent().getSha256();
      client.resources(ContentRollout.class).withName(id).edit(r -> {
        r.getSpec().getStrategy().getWaves().get(0).setBakeTime("0s");
        return r;
      });
      Run undo = run("undo", id);
      assertThat(undo.exit()).as(undo.out()).isZero();
      assertThat(undo.out()).contains("goes out again through the waves, from its snapshot");
      Run undone = run("status", id, "--timeout", "60s");
      assertThat(undone.exit()).as(undone.out()).isEqualTo(WavegateCli.SUCCEEDED);
      ContentRollout back = client.resources(ContentRollout.class).withName(id).get();
      assertThat(back.getSpec().getContent().getSha256()).isEqualTo(back.getStatus().getStableDigest())
          .isNotEqualTo(failed);
      assertThat(back.getSpec().getContent().getSource().getConfigMapRef().getNamespace())
          .as("read from the snapshot namespace").isNotEqualTo(NS);
      Run refused = run("undo", id, "--to-revision", failed.substring(0, 12));
      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.out()).contains("failed before (RolledBack: Aborted); --force rolls it out again");
      assertThat(run("undo", id, "--fast").out()).contains("cannot be revoked");
      assertThat(run("get", "no-such-rollout").exit()).isNotZero();

      // the platform team's metric template from the examples, as the API server stored it
      Path examples = ApiServer.repoRoot().resolve("examples");
      try (java.io.InputStream in = Files.newInputStream(examples.resolve("metric-templates.yaml"))) {
        client.load(in).items().stream().filter(i -> i.getKind().equals("ContentMetricTemplate"))
            .forEach(t -> client.resource(t).create());
      }
      Run templates = run("templates");
      assertThat(templates.exit()).isZero();
      assertThat(templates.out()).containsPattern("sensor-crashes\\s+1\\s+sensor,window=5m\\s+30s\\s+max 1\\s+Inconclusive\\s+-");
      Run lint = run("lint", "-f", examples.toString());
      assertThat(lint.exit()).as(lint.out()).isZero();
      assertThat(lint.out()).contains("1 ContentMetricTemplate(s): 0 error(s)");
    }
  }

  private ContentRolloutSpec spec(String id, String content, String canaryBake) {
    String digest = Rollouts.publish(client, NS, id + "-" + content, FILE,
        ("rules " + content + " " + id).getBytes(StandardCharsets.UTF_8));
    return Rollouts.overPools(digest, new KeyRef(NS, id + "-" + content, FILE), canaryBake, Map.of("fleet", id));
  }
}
