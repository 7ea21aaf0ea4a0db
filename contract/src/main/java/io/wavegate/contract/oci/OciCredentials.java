package io.wavegate.contract.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** A user name and password for one registry, as {@code docker login} keeps them. */
public record OciCredentials(String username, String password) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The entry for {@code registry} in a {@code .dockerconfigjson} document ({@code auths.<registry>},
   * either {@code auth} as base64 of user:password or {@code username} and {@code password}).
   */
  public static Optional<OciCredentials> fromDockerConfig(byte[] dockerConfigJson, String registry) throws IOException {
    JsonNode entry = JSON.readTree(dockerConfigJson).path("auths").path(registry);
    if (entry.isMissingNode()) {
      entry = JSON.readTree(dockerConfigJson).path("auths").path("https://" + registry);
    }
    if (entry.hasNonNull("auth")) {
      String decoded = new String(Base64.getDecoder().decode(entry.get("auth").asText()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new IOException("auths." + registry + ".auth is not base64 of user:password");
      }
      return Optional.of(new OciCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }
    if (entry.hasNonNull("username")) {
      return Optional.of(new OciCredentials(entry.get("username").asText(), entry.path("password").asText("")));
    }
    return Optional.empty();
  }

  String basic() {
    return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "OciCredentials[" + username + ", password withheld]";
  }
}
