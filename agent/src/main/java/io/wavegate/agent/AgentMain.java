package io.wavegate.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.wavegate.contract.oci.OciRegistryClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar wavegate-agent.jar [run|guard|fetch]}. {@code run} (the default) is the node agent, one
 * per node (a DaemonSet with NODE_NAME from the downward API). {@code guard} is the one-shot step an
 * init container of the consumer (or a boot-time unit) runs before the consumer loads its content:
 * restore the previous file of every channel whose tentative revision did not survive a reboot,
 * then exit (0 when done, 1 when it could not, so the consumer does not start on suspect content).
 * {@code fetch REFERENCE SHA256 FILE} pulls one OCI blob by digest to a file ({@link Fetch}): the init
 * container of a validator Job for OCI content.
 */
public final class AgentMain {

  /** How long fetch waits for a registry that does not serve the blob (the validator Job's timeout bounds it too). */
  private static final Duration FETCH_PATIENCE = Duration.ofMinutes(4);

  private static Duration fetchPatience() {
    try {
      return io.wavegate.contract.Durations.parse(System.getenv("WAVEGATE_FETCH_TIMEOUT"), FETCH_PATIENCE);
    } catch (IllegalArgumentException e) {
      return FETCH_PATIENCE;
    }
  }

  private AgentMain() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length == 0 ? "run" : args[0];
    if (!List.of("run", "guard", "fetch").contains(mode) || mode.equals("fetch") && args.length != 4) {
      System.err.println("usage: java -jar wavegate-agent.jar [run|guard|fetch REFERENCE SHA256 FILE]");
      System.exit(2);
    }
    // before the first logger: slf4j-simple reads its level once
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
        System.getenv().getOrDefault("WAVEGATE_LOG_LEVEL", "info").toLowerCase());
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX");
    Logger log = LoggerFactory.getLogger(AgentMain.class);
    AgentSettings settings;
    try {
      settings = !mode.equals("run") ? AgentSettings.fromEnv(withNodeName(System.getenv()))
          : AgentSettings.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("wavegate agent: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (mode.equals("guard")) {
      guard(settings, log);
      return;
    }
    if (mode.equals("fetch")) {
      Fetch.Result result = new Fetch(new RegistryPull(new OciRegistryClient(settings.insecureRegistries(),
          Duration.ofSeconds(30)), java.util.Optional.ofNullable(settings.registryAuthFile())), Clock.systemUTC())
          .run(args[1], args[2], java.nio.file.Path.of(args[3]), Instant.now().plus(fetchPatience()));
      if (result.fetched()) {
        log.info("fetch: {}", result.message());
        return;
      }
      log.error("fetch: {}", result.message());
      System.exit(1);
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    NodeAgent agent = new NodeAgent(client, settings, Clock.systemUTC()).start();
    AgentStatusServer server = settings.port() == 0 ? null : new AgentStatusServer(settings.port(), agent);
    log.info("wavegate agent on node {} writing under {}{}{}{}", settings.nodeName(), settings.contentDir(),
        settings.trustedKeysDir() == null ? "" : ", verifying signatures with the keys in " + settings.trustedKeysDir(),
        settings.applyHook() == null ? "" : ", apply hook: " + settings.applyHook(),
        server == null ? "" : ", probes and metrics on :" + server.port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (server != null) {
        server.close();
      }
      agent.close();
      client.close();
      stopped.countDown();
    }));
    stopped.await();
  }

  private static void guard(AgentSettings settings, Logger log) {
    try {
      List<String> reverted = new Guard(new ContentStore(settings.contentDir()), settings.bootIdFile(),
          Clock.systemUTC()).run();
      log.info("guard: {}", reverted.isEmpty() ? "nothing tentative survived a reboot; content left as it is"
          : "restored the previous file of " + reverted);
    } catch (Exception e) {
      log.error("guard: could not assess the content under {}: {}", settings.contentDir(), e.toString());
      System.exit(1);
    }
  }

  /** The guard and fetch need no API server and no node name; they work on the disk (and the registry) alone. */
  private static java.util.Map<String, String> withNodeName(java.util.Map<String, String> env) {
    java.util.Map<String, String> copy = new java.util.HashMap<>(env);
    copy.putIfAbsent("NODE_NAME", "guard");
    return copy;
  }
}
