package io.wavegate.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The publisher keys this node trusts: a directory with one PEM public key per file, the file name
 * being the key id (a mounted ConfigMap, or a directory on the host). Read at each delivery, so a
 * rotation needs no restart. Hidden entries (a ConfigMap mount's {@code ..data}) are skipped.
 */
public final class TrustedKeyFiles {

  private final Path dir;

  public TrustedKeyFiles(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public Map<String, String> read() throws IOException {
    Map<String, String> keys = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return keys;
    }
    try (var files = Files.list(dir)) {
      for (Path file : files.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
        if (Files.isRegularFile(file)) {
          keys.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
        }
      }
    }
    return keys;
  }
}
