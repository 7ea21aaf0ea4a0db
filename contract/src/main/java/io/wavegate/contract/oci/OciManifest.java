package io.wavegate.contract.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The part of an OCI image manifest wavegate reads: its layers. Parsing and layer choice are pure. */
public record OciManifest(String artifactType, List<Layer> layers) {

  public static final String TITLE = "org.opencontainers.image.title";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One layer: a blob by digest, its size and annotations. */
  public record Layer(String mediaType, String digest, long size, Map<String, String> annotations) {

    public Optional<String> title() {
      return Optional.ofNullable(annotations.get(TITLE));
    }
  }

  public static OciManifest parse(byte[] json) throws IOException {
    JsonNode root = JSON.readTree(json);
    if (root == null || !root.path("layers").isArray()) {
      throw new IOException("not an image manifest: no layers");
    }
    List<Layer> layers = new ArrayList<>();
    for (JsonNode layer : root.path("layers")) {
      Map<String, String> annotations = new HashMap<>();
      layer.path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
      layers.add(new Layer(layer.path("mediaType").asText(null), layer.path("digest").asText(null),
          layer.path("size").asLong(-1), Map.copyOf(annotations)));
    }
    String artifactType = root.path("artifactType").asText(root.path("config").path("mediaType").asText(null));
    return new OciManifest(artifactType, List.copyOf(layers));
  }

  /**
   * The layer to deliver: the one titled {@code file}; else the one of {@code mediaType}; else the only
   * layer. Empty with the reason when none or several match.
   */
  public Selection select(String file, String mediaType) {
    List<Layer> matching = layers.stream()
        .filter(l -> file == null || file.equals(l.annotations().get(TITLE)))
        .filter(l -> mediaType == null || mediaType.equals(l.mediaType()))
        .toList();
    String wanted = file != null ? "titled " + file : mediaType != null ? "of mediaType " + mediaType : "at all";
    if (matching.size() == 1) {
      return new Selection(Optional.of(matching.get(0)), null);
    }
    String titles = layers.stream().map(l -> l.title().orElse(l.mediaType())).toList().toString();
    return new Selection(Optional.empty(), matching.isEmpty()
        ? "the artifact has no layer " + wanted + "; its layers: " + titles
        : "the artifact has " + matching.size() + " layers " + wanted + ": name one with oci.file or oci.mediaType;"
            + " its layers: " + titles);
  }

  /** A layer, or why none could be chosen. */
  public record Selection(Optional<Layer> layer, String problem) {}
}
