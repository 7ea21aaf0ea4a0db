package io.wavegate.e2e.support;

import io.wavegate.sim.JarProcess;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.wavegate.sim.Kubelet;
import io.wavegate.sim.Chart;
import io.wavegate.sim.ServiceAccountTokens;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * wavegate as its chart installs it: the chart rendered and applied ({@link Chart#install}), the
 * packaged operator jar and agent jar run as processes with the environment of the chart's
 * Deployment and DaemonSet, authenticated by real tokens of the chart's service accounts (the
 * agents' bound to the DaemonSet's pod on their node). Nothing here has admin rights.
 */
public final class InstalledProduct implements AutoCloseable {

  private final KubernetesClient admin;
  private final List<Process> processes = new ArrayList<>();

  private InstalledProduct(KubernetesClient admin) {
    this.admin = admin;
  }

  /** Installs the chart (with {@code helmArgs}) on the test API server. */
  public static InstalledProduct install(ApiServer api, String... helmArgs) {
    Chart.install(api.client(), helmArgs);
    return new InstalledProduct(api.client());
  }

  /**
   * Registers {@code nodes} as Ready Nodes, each in the pool its name starts with ({@code canary-0} in
   * pool {@code canary}), with boot ID {@code boot-<node>}.
   */
  public void addNodes(List<String> nodes) {
    for (String node : nodes) {
      admin.resource(new NodeBuilder().withNewMetadata().withName(node)
          .addToLabels("wavegate.io/pool", node.substring(0, node.indexOf('-'))).endMetadata().build()).create();
      Kubelet.reportStatus(admin, node, true, "boot-" + node, List.of());
    }
  }

  /** A running component: its process and the port of its probes and metrics. */
  public record Running(Process process, int port) {

    public String log() {
      try {
        return JarProcess.log(process);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * {@code java -jar wavegate.jar operator} as the Deployment's container runs it, as pod
   * {@code podName} (its HOSTNAME, the leader election identity), with {@code overrides} on top.
   */
  public Running startOperator(String podName, Map<String, String> overrides) {
    int port = freePort();
    Map<String, String> env = new HashMap<>(Chart.operatorEnvironment(admin));
    env.put("HOSTNAME", podName);
    env.put("WAVEGATE_METRICS_PORT", Integer.toString(port));
    env.putAll(overrides);
    return start(ServiceAccountTokens.kubeconfig(admin, Chart.operatorToken(admin)), JarProcess.Jar.OPERATOR,
        List.of("operator"), env, port);
  }

  /**
   * {@code java -jar wavegate-agent.jar run} as the DaemonSet's container runs it on {@code node}:
   * its content directory and boot ID file stand in for the node's hostPath and /proc.
   */
  public Running startAgent(String node, Path contentDir, Path bootIdFile, Map<String, String> overrides) {
    int port = freePort();
    Map<String, String> env = new HashMap<>(Chart.agentEnvironment(admin, node));
    env.put("WAVEGATE_CONTENT_DIR", contentDir.toString());
    env.put("WAVEGATE_BOOT_ID_FILE", bootIdFile.toString());
    env.put("WAVEGATE_AGENT_PORT", Integer.toString(port));
    env.putAll(overrides);
    return start(ServiceAccountTokens.kubeconfig(admin, Chart.agentToken(admin, node)), JarProcess.Jar.AGENT,
        List.of("run"), env, port);
  }

  /** SIGKILL: no shutdown hook, no Lease released (a node that lost power, an OOM kill). */
  public static void kill(Running running) throws InterruptedException {
    running.process().destroyForcibly();
    running.process().waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    for (Process process : processes) {
      process.destroy();
    }
    for (Process process : processes) {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Running start(Path kubeconfig, JarProcess.Jar jar, List<String> args, Map<String, String> env, int port) {
    try {
      Process process = JarProcess.start(kubeconfig, List.of(), jar, args, env);
      processes.add(process);
      return new Running(process, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
