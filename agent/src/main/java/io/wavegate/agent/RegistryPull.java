package io.wavegate.agent;

import io.wavegate.contract.oci.OciCredentials;
import io.wavegate.contract.oci.OciException;
import io.wavegate.contract.oci.OciReference;
import io.wavegate.contract.oci.OciRegistryClient;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Pulls a revision of OCI content to a staged file on the node: the blob whose digest is the revision,
 * from the repository the snapshot names, checked while it streams (the heap holds one buffer, whatever
 * the size). Credentials come from a mounted .dockerconfigjson (chart value agent.registryPullSecret),
 * read at each pull so that a rotated Secret is used without a restart; the agent reads no Secret
 * through the API.
 */
final class RegistryPull {

  private final OciRegistryClient client;
  private final Optional<Path> dockerConfig;

  RegistryPull(OciRegistryClient client, Optional<Path> dockerConfig) {
    this.client = client;
    this.dockerConfig = dockerConfig;
  }

  /** Streams the revision's blob into {@code staged} (created, or emptied); throws when it did not arrive whole. */
  void pull(String artifact, String revision, Path staged) throws OciException, IOException {
    OciReference ref = OciReference.parse(artifact);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(staged, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), 64 * 1024)) {
      client.blob(ref, "sha256:" + revision, Long.MAX_VALUE, credentials(ref), out);
    }
  }

  private Optional<OciCredentials> credentials(OciReference ref) throws IOException {
    if (dockerConfig.isEmpty() || !Files.exists(dockerConfig.get())) {
      return Optional.empty();
    }
    return OciCredentials.fromDockerConfig(Files.readAllBytes(dockerConfig.get()), ref.registry());
  }
}
