package io.wavegate.e2e.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/** Runs the packaged jar as a user would, against a test API server, its output in a log file. */
public final class JarProcess {

  private JarProcess() {}

  public static Path jar() {
    Path jar = ApiServer.repoRoot().resolve("operator/target/wavegate.jar");
    Assumptions.assumeTrue(Files.exists(jar), "operator/target/wavegate.jar is built by `verify` (scripts/test.sh)");
    return jar;
  }

  public static Process start(ApiServer api, List<String> jvmFlags, String entrypoint, Map<String, String> env)
      throws IOException {
    Path kubeconfig = Files.createTempFile("wavegate-kubeconfig", ".yaml");
    Files.writeString(kubeconfig, api.kubeconfigYaml());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.addAll(List.of("-jar", jar().toString(), entrypoint));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(Files.createTempFile("wavegate-" + entrypoint, ".log").toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().putAll(env);
    return builder.start();
  }
}
