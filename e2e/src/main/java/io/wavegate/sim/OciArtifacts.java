package io.wavegate.sim;

import io.wavegate.contract.oci.OciManifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import land.oras.ArtifactType;
import land.oras.Config;
import land.oras.ContainerRef;
import land.oras.Layer;
import land.oras.Manifest;
import land.oras.Registry;

/**
 * Pushes content files to a {@link RegistryServer} as OCI artifacts with the ORAS Java SDK, a real
 * client independent of wavegate's own puller, as `oras push` would: one layer per file, titled with
 * the file's name.
 */
public final class OciArtifacts {

  public static final String ARTIFACT_TYPE = "application/vnd.wavegate.content.v1";
  public static final String LAYER_TYPE = "application/vnd.wavegate.content.layer.v1";

  private final RegistryServer registry;
  private final Registry client;

  public OciArtifacts(RegistryServer registry) {
    this.registry = registry;
    Registry.Builder builder = Registry.builder().withInsecure(true);
    this.client = registry.dockerConfigJson(BasicAuthUser.PASSWORD).isPresent()
        ? builder.insecure(registry.host(), BasicAuthUser.USER, BasicAuthUser.PASSWORD).build()
        : builder.insecure().build();
  }

  /**
   * Pushes {@code file} to {@code repository:tag}; returns the reference pinned by its manifest digest.
   * Blob and manifest are pushed one by one: the SDK's pushArtifact leaves a copy of each file in /tmp.
   */
  public String push(String repository, String tag, Path file) {
    ContainerRef ref = ContainerRef.parse(registry.host() + "/" + repository + ":" + tag);
    Layer layer = client.pushBlob(ref, file, Map.of(OciManifest.TITLE, file.getFileName().toString()))
        .withMediaType(LAYER_TYPE);
    Config config = Config.empty();
    client.pushBlob(ref, config.getDataBytes());
    Manifest manifest = client.pushManifest(ref, Manifest.empty().withArtifactType(ArtifactType.from(ARTIFACT_TYPE))
        .withConfig(config).withLayers(List.of(layer)));
    return registry.host() + "/" + repository + "@" + manifest.getDescriptor().getDigest();
  }

  /** A content file of {@code size} random bytes, none of them zero (no gate refuses it), written in pieces. */
  public static Path randomContent(Path file, long size, long seed) throws java.io.IOException {
    java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
    java.util.Random random = new java.util.Random(seed);
    byte[] chunk = new byte[1024 * 1024];
    try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(file)) {
      for (long written = 0; written < size; written += chunk.length) {
        random.nextBytes(chunk);
        for (int i = 0; i < chunk.length; i++) {
          chunk[i] |= 1;
        }
        out.write(chunk, 0, (int) Math.min(chunk.length, size - written));
      }
    }
    return file;
  }
}
