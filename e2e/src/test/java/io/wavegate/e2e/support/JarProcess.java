package io.wavegate.e2e.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/** Runs a packaged jar as a user would, against a test API server, its output in a log file. */
public final class JarProcess {

  /** The operator's jar, the node agent's and the kubectl plugin's. */
  public enum Jar {
    OPERATOR("operator/target/wavegate.jar"),
    AGENT("agent/target/wavegate-agent.jar"),
    PLUGIN("plugin/target/kubectl-wavegate.jar");

    private final String path;

    Jar(String path) {
      this.path = path;
    }

    public Path path() {
      Path jar = ApiServer.repoRoot().resolve(path);
      Assumptions.assumeTrue(Files.exists(jar), path + " is built by `install` (scripts/test.sh)");
      return jar;
    }
  }

  private JarProcess() {}

  /** Starts {@code java <jvmFlags> -jar <jar> <args>}; its output goes to the returned log file's path via {@link #log}. */
  public static Process start(ApiServer api, List<String> jvmFlags, Jar jar, List<String> args, Map<String, String> env)
      throws IOException {
    Path kubeconfig = Files.createTempFile("wavegate-kubeconfig", ".yaml");
    Files.writeString(kubeconfig, api.kubeconfigYaml());
    return start(kubeconfig, jvmFlags, jar, args, env);
  }

  /** As above, authenticated by the given kubeconfig (for example a service account's token). */
  public static Process start(Path kubeconfig, List<String> jvmFlags, Jar jar, List<String> args,
      Map<String, String> env) throws IOException {
    List<String> command = new ArrayList<>();
    // -Dwavegate.agent.java=<runtime>/bin/java runs the agent on another runtime (a jlink image, docs/benchmarks.md)
    command.add(System.getProperty("wavegate." + jar.name().toLowerCase() + ".java",
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmFlags);
    command.addAll(List.of("-jar", jar.path().toString()));
    command.addAll(args);
    Path log = Files.createTempFile("wavegate-" + jar.name().toLowerCase(), ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().putAll(env);
    Process process = builder.start();
    LOGS.put(process.pid(), log);
    return process;
  }

  /** What the process printed so far. */
  public static String log(Process process) throws IOException {
    return Files.readString(LOGS.get(process.pid()));
  }

  private static final Map<Long, Path> LOGS = new java.util.concurrent.ConcurrentHashMap<>();
}
