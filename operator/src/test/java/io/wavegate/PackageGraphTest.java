package io.wavegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The operator's packages in layers (docs/architecture.md): each uses only packages of lower layers. */
class PackageGraphTest {

  /**
   * Layer by package: 0 is the top. {@code plan}, {@code policy} and {@code api} live in the api module, {@code contract} in
   * the module the operator and the agent share; they are checked here as what the operator may use.
   */
  static final Map<String, Integer> LAYERS = Map.ofEntries(Map.entry("rollout", 0),
      Map.entry("analysis", 1), Map.entry("validation", 1), Map.entry("cache", 1),
      Map.entry("health", 2), Map.entry("delivery", 2), Map.entry("metrics", 2),
      Map.entry("plan", 3), Map.entry("policy", 3), Map.entry("config", 3),
      Map.entry("api", 4),
      Map.entry("contract", 5));

  static final Pattern REFERENCE = Pattern.compile("io\\.wavegate\\.([a-z]+)\\.[A-Za-z]");

  static Stream<String> packages() {
    return LAYERS.keySet().stream().filter(p -> Files.isDirectory(Path.of("src/main/java/io/wavegate", p))).sorted();
  }

  @ParameterizedTest
  @MethodSource("packages")
  void usesOnlyLowerLayers(String pkg) throws IOException {
    Set<String> used = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/wavegate", pkg))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = REFERENCE.matcher(Files.readString(file));
        while (m.find()) {
          used.add(m.group(1));
        }
      }
    }
    used.remove(pkg);
    assertThat(used).as(pkg + " uses").allSatisfy(other -> assertThat(LAYERS).as("a known package: " + other)
        .containsKey(other)).allSatisfy(other -> assertThat(LAYERS.get(other)).as(pkg + " -> " + other)
        .isGreaterThan(LAYERS.get(pkg)));
  }
}
