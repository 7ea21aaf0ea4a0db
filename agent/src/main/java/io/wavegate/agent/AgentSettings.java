package io.wavegate.agent;

import io.wavegate.contract.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The agent's settings, from its environment (the chart's DaemonSet sets them; docs/node-agent.md).
 *
 * @param nodeName NODE_NAME, from the downward API (spec.nodeName)
 * @param contentDir WAVEGATE_CONTENT_DIR: where content is written (default /var/lib/wavegate)
 * @param resync WAVEGATE_AGENT_RESYNC: how often it looks again without a change (a full disk is retried then)
 * @param bootIdFile WAVEGATE_BOOT_ID_FILE: the node's boot ID (default /proc/sys/kernel/random/boot_id)
 * @param trustedKeysDir WAVEGATE_TRUSTED_KEYS_DIR: PEM public keys by key id; when set, content must be signed
 * @param applyHook WAVEGATE_APPLY_HOOK: a command run after each write ({@code sh -c}); none when null
 * @param applyHookTimeout WAVEGATE_APPLY_HOOK_TIMEOUT (default 30s)
 * @param port WAVEGATE_AGENT_PORT: probes and metrics (default 8090; 0 turns the server off)
 * @param registryAuthFile WAVEGATE_REGISTRY_AUTH_FILE: a .dockerconfigjson with credentials to pull OCI content
 *     with (the chart mounts agent.registryPullSecret there); null pulls anonymously
 * @param insecureRegistries WAVEGATE_OCI_INSECURE_REGISTRIES: registries (host[:port], comma-separated) pulled
 *     from over plain HTTP besides loopback ones
 */
public record AgentSettings(String nodeName, Path contentDir, Duration resync, Path bootIdFile, Path trustedKeysDir,
    String applyHook, Duration applyHookTimeout, int port, Path registryAuthFile, Set<String> insecureRegistries) {

  public static final String DEFAULT_CONTENT_DIR = "/var/lib/wavegate";
  public static final String DEFAULT_BOOT_ID_FILE = "/proc/sys/kernel/random/boot_id";
  public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(60);
  public static final Duration DEFAULT_HOOK_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_PORT = 8090;

  /** Reads the settings; a missing NODE_NAME or a malformed value is an {@link IllegalArgumentException} naming it. */
  public static AgentSettings fromEnv(Map<String, String> env) {
    String node = env.get("NODE_NAME");
    if (node == null || node.isBlank()) {
      throw new IllegalArgumentException("NODE_NAME is not set (set it from the downward API: spec.nodeName)");
    }
    String keys = blankToNull(env.get("WAVEGATE_TRUSTED_KEYS_DIR"));
    String port = env.getOrDefault("WAVEGATE_AGENT_PORT", Integer.toString(DEFAULT_PORT));
    try {
      return new AgentSettings(node,
          Path.of(env.getOrDefault("WAVEGATE_CONTENT_DIR", DEFAULT_CONTENT_DIR)),
          duration(env, "WAVEGATE_AGENT_RESYNC", DEFAULT_RESYNC),
          Path.of(env.getOrDefault("WAVEGATE_BOOT_ID_FILE", DEFAULT_BOOT_ID_FILE)),
          keys == null ? null : Path.of(keys),
          blankToNull(env.get("WAVEGATE_APPLY_HOOK")),
          duration(env, "WAVEGATE_APPLY_HOOK_TIMEOUT", DEFAULT_HOOK_TIMEOUT),
          Integer.parseInt(port.trim()),
          Optional.ofNullable(blankToNull(env.get("WAVEGATE_REGISTRY_AUTH_FILE"))).map(Path::of).orElse(null),
          Arrays.stream(env.getOrDefault("WAVEGATE_OCI_INSECURE_REGISTRIES", "").split(",")).map(String::trim)
              .filter(r -> !r.isEmpty()).collect(Collectors.toUnmodifiableSet()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("WAVEGATE_AGENT_PORT is not a port number: " + port);
    }
  }

  private static Duration duration(Map<String, String> env, String name, Duration fallback) {
    try {
      return Durations.parse(env.get(name), fallback);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " is not a duration such as 30s or 2m: " + env.get(name));
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
