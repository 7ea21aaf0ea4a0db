package io.wavegate.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Runs a packaged jar as a user would, against an API server, its output in a log file. */
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

    /** Where the build puts it; it may not be built yet ({@link #built}). */
    public Path path() {
      return ClusterSetup.repoRoot().resolve(path);
    }

    public boolean built() {
      return Files.exists(path());
    }

    public String missing() {
      return path + " is built by `install` (scripts/test.sh)";
    }
  }

  private static final Map<Long, Path> LOGS = new ConcurrentHashMap<>();

  private JarProcess() {}

  /** Starts {@code java <jvmFlags> -jar <jar> <args>} with the kubeconfig {@code kubeconfigYaml}. */
  public static Process start(String kubeconfigYaml, List<String> jvmFlags, Jar jar, List<String> args,
      Map<String, String> env) throws IOException {
    Path kubeconfig = Files.createTempFile("wavegate-kubeconfig", ".yaml");
    Files.writeString(kubeconfig, kubeconfigYaml);
    return start(kubeconfig, jvmFlags, jar, args, env);
  }

  /** As above, authenticated by the given kubeconfig (for example a service account's token). */
  public static Process start(Path kubeconfig, List<String> jvmFlags, Jar jar, List<String> args,
      Map<String, String> env) throws IOException {
    if (!jar.built()) {
      throw new IllegalStateException(jar.missing());
    }
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
}
