package io.wavegate.contract.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavegate.contract.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pulls by digest from an OCI Distribution registry with the JDK's HTTP client alone, so that the node
 * agent stays small and the operator and the agent pull the same way: a manifest (its bytes checked
 * against the digest that names it) and a blob streamed to an {@link OutputStream} while its sha256 is
 * computed and checked. Authentication: anonymous, Basic, or the registry token flow (a Bearer
 * challenge answered with the credentials). Plain HTTP only for loopback registries and those named
 * insecure; everything else is HTTPS.
 */
public final class OciRegistryClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANIFEST_TYPES = "application/vnd.oci.image.manifest.v1+json,"
      + " application/vnd.docker.distribution.manifest.v2+json";
  private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
  private static final int MAX_REDIRECTS = 5;
  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final HttpClient http;
  private final Set<String> insecureRegistries;
  private final Duration timeout;
  private final Map<String, String> authorizations = new ConcurrentHashMap<>();

  /**
   * @param insecureRegistries registries (host[:port]) reached over plain HTTP besides loopback ones
   * @param timeout how long to wait for a response's headers (a blob's body streams as long as it flows)
   */
  public OciRegistryClient(Set<String> insecureRegistries, Duration timeout) {
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    this.insecureRegistries = Set.copyOf(insecureRegistries);
    this.timeout = timeout;
  }

  /** The manifest {@code ref} pins, its bytes checked against the digest. */
  public OciManifest manifest(OciReference ref, Optional<OciCredentials> credentials) throws OciException {
    byte[] body = manifestBody(get(ref, "manifests/" + ref.digest(), MANIFEST_TYPES, credentials), ref, "manifest");
    String actual = "sha256:" + hex(Digests.sha256().digest(body));
    if (!actual.equals(ref.digest())) {
      throw new OciException(OciException.Kind.DIGEST_MISMATCH, 200, "registry " + ref.registry() + " served a manifest"
          + " whose digest is " + actual + " for " + ref);
    }
    return parse(body, ref, "manifest");
  }

  /**
   * The manifest a tag of {@code ref}'s repository names, or empty when the tag does not exist. Only for
   * objects whose content is verified by other means (a cosign signature: its payload names the digest
   * it signs, and the signature over it is checked): content is never pulled by tag.
   */
  public Optional<OciManifest> manifestAtTag(OciReference ref, String tag, Optional<OciCredentials> credentials)
      throws OciException {
    HttpResponse<InputStream> response;
    try {
      response = get(ref, "manifests/" + tag, MANIFEST_TYPES, credentials);
    } catch (OciException e) {
      if (e.kind() == OciException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
    String name = "manifest " + tag;
    return Optional.of(parse(manifestBody(response, ref, name), ref, name));
  }

  /** A manifest's bytes, at most 4 MiB of them; {@code name} says which, in {@code ref}'s repository. */
  private static byte[] manifestBody(HttpResponse<InputStream> response, OciReference ref, String name)
      throws OciException {
    byte[] body;
    try (InputStream in = response.body()) {
      body = in.readNBytes(MAX_MANIFEST_BYTES + 1);
    } catch (IOException e) {
      throw unreachable(ref, "reading " + name, e);
    }
    if (body.length > MAX_MANIFEST_BYTES) {
      throw new OciException(OciException.Kind.TOO_LARGE, 200, name + " of " + ref + " is above 4 MiB");
    }
    return body;
  }

  private static OciManifest parse(byte[] body, OciReference ref, String name) throws OciException {
    try {
      return OciManifest.parse(body);
    } catch (IOException e) {
      throw new OciException(OciException.Kind.MALFORMED, 200, name + " of " + ref + ": " + e.getMessage(), e);
    }
  }

  /** A small blob (at most {@code maxBytes}) in memory, its digest checked. */
  public byte[] smallBlob(OciReference ref, String digest, int maxBytes, Optional<OciCredentials> credentials)
      throws OciException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    blob(ref, digest, maxBytes, credentials, out);
    return out.toByteArray();
  }

  /**
   * Streams the blob {@code digest} of {@code ref}'s repository to {@code out}, refusing more than
   * {@code maxBytes}, and checks its sha256 at the end. Returns its size. The caller discards what was
   * written when this throws.
   */
  public long blob(OciReference ref, String digest, long maxBytes, Optional<OciCredentials> credentials,
      OutputStream out) throws OciException {
    OciReference blob = ref.withDigest(digest);
    HttpResponse<InputStream> response = get(blob, "blobs/" + digest, "*/*", credentials);
    MessageDigest sha = Digests.sha256();
    long size = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = response.body()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        size += n;
        if (size > maxBytes) {
          throw new OciException(OciException.Kind.TOO_LARGE, 200, "blob " + blob + " is above " + maxBytes + " bytes");
        }
        sha.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    } catch (OciException e) {
      throw e;
    } catch (IOException e) {
      throw unreachable(blob, "reading blob after " + size + " bytes", e);
    }
    String actual = "sha256:" + hex(sha.digest());
    if (!actual.equals(digest)) {
      throw new OciException(OciException.Kind.DIGEST_MISMATCH, 200, "registry " + ref.registry() + " served "
          + size + " bytes whose digest is " + actual + " for blob " + blob);
    }
    return size;
  }

  private HttpResponse<InputStream> get(OciReference ref, String path, String accept,
      Optional<OciCredentials> credentials) throws OciException {
    URI uri = URI.create(base(ref.registry()) + "/v2/" + ref.repository() + "/" + path);
    String scopeKey = ref.registry() + "/" + ref.repository();
    HttpResponse<InputStream> response = send(uri, accept, authorizations.get(scopeKey), ref);
    if (response.statusCode() == 401) {
      discard(response);
      String authorization = authorize(ref, response.headers().firstValue("WWW-Authenticate").orElse(""), credentials);
      authorizations.put(scopeKey, authorization);
      response = send(uri, accept, authorization, ref);
    }
    for (int redirects = 0; isRedirect(response.statusCode()) && redirects < MAX_REDIRECTS; redirects++) {
      discard(response);
      URI next = uri.resolve(response.headers().firstValue("Location").orElseThrow(() ->
          new OciException(OciException.Kind.MALFORMED, 307, "registry " + ref.registry() + " redirected without a Location")));
      // credentials for the registry are not for the storage it redirects to
      response = send(next, accept, next.getAuthority().equals(uri.getAuthority())
          ? authorizations.get(scopeKey) : null, ref);
    }
    int status = response.statusCode();
    if (status == 200) {
      return response;
    }
    discard(response);
    OciException.Kind kind = status == 404 ? OciException.Kind.NOT_FOUND : OciException.Kind.REFUSED;
    throw new OciException(kind, status, "registry " + ref.registry() + " answered " + status + " " + reason(status)
        + " for " + path.substring(0, path.indexOf('/')) + " " + ref);
  }

  /** The Authorization header answering a 401's challenge: Basic, or a token from the registry's token service. */
  private String authorize(OciReference ref, String challenge, Optional<OciCredentials> credentials) throws OciException {
    if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
      return credentials.map(OciCredentials::basic).orElseThrow(() -> refused(ref, "asks for credentials and none"
          + " are configured (oci.pullSecretRef)"));
    }
    if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
      throw refused(ref, "answered 401 with an authentication scheme not supported: " + challenge);
    }
    Map<String, String> params = new java.util.HashMap<>();
    Matcher m = PARAM.matcher(challenge);
    while (m.find()) {
      params.put(m.group(1), m.group(2));
    }
    String realm = params.get("realm");
    if (realm == null) {
      throw refused(ref, "answered 401 with a Bearer challenge that names no realm");
    }
    String scope = params.getOrDefault("scope", "repository:" + ref.repository() + ":pull");
    URI tokenUri = URI.create(realm + (realm.contains("?") ? "&" : "?")
        + (params.containsKey("service") ? "service=" + enc(params.get("service")) + "&" : "") + "scope=" + enc(scope));
    HttpRequest.Builder request = HttpRequest.newBuilder(tokenUri).timeout(timeout).GET();
    credentials.ifPresent(c -> request.header("Authorization", c.basic()));
    try {
      HttpResponse<byte[]> token = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (token.statusCode() != 200) {
        throw new OciException(OciException.Kind.REFUSED, token.statusCode(), "registry " + ref.registry()
            + "'s token service " + tokenUri.getAuthority() + " answered " + token.statusCode() + " "
            + reason(token.statusCode()) + " for " + scope);
      }
      JsonNode body = JSON.readTree(token.body());
      String value = body.path("token").asText(body.path("access_token").asText(null));
      if (value == null) {
        throw refused(ref, "'s token service gave no token");
      }
      return "Bearer " + value;
    } catch (OciException e) {
      throw e;
    } catch (IOException e) {
      throw unreachable(ref, "asking its token service " + tokenUri.getAuthority(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreachable(ref, "asking its token service", e);
    }
  }

  private HttpResponse<InputStream> send(URI uri, String accept, String authorization, OciReference ref)
      throws OciException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", accept).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw unreachable(ref, "GET " + uri.getPath(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreachable(ref, "GET " + uri.getPath(), e);
    }
  }

  private String base(String registry) {
    String host = registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
    boolean plain = insecureRegistries.contains(registry) || host.equals("localhost") || host.startsWith("127.")
        || host.equals("[::1]");
    return (plain ? "http://" : "https://") + registry;
  }

  private static OciException unreachable(OciReference ref, String doing, Exception e) {
    String why = e instanceof HttpTimeoutException ? "timed out"
        : e instanceof ConnectException ? "connection refused" : String.valueOf(e.getMessage());
    return new OciException(OciException.Kind.UNREACHABLE, 0, "registry " + ref.registry() + " did not answer ("
        + doing + " of " + ref + "): " + why, e);
  }

  private static OciException refused(OciReference ref, String what) {
    return new OciException(OciException.Kind.REFUSED, 401, "registry " + ref.registry() + " " + what);
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static void discard(HttpResponse<InputStream> response) {
    try (InputStream in = response.body()) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException ignored) {
      // the answer was read as far as needed
    }
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      default -> "";
    };
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
