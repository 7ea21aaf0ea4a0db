package io.wavegate.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One instant query against Prometheus's HTTP API ({@code POST /api/v1/query}, form-encoded, so a
 * query naming thousands of nodes is not bound by URL length limits). Every failure becomes a
 * {@link Measurement} error with a message a person can act on; nothing is thrown.
 */
public final class PrometheusQuery {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BODY_IN_MESSAGE = 300;

  /** Either a bearer token or a user and password (basic auth); none when both are empty. */
  public record Credentials(Optional<String> bearerToken, Optional<String> username, Optional<String> password,
      String source) {

    public static final Credentials NONE = new Credentials(Optional.empty(), Optional.empty(), Optional.empty(), "");

    Optional<String> header() {
      if (bearerToken.isPresent()) {
        return Optional.of("Bearer " + bearerToken.get().trim());
      }
      return username.map(user -> "Basic " + Base64.getEncoder().encodeToString(
          (user + ":" + password.orElse("")).getBytes(StandardCharsets.UTF_8)));
    }
  }

  private final HttpClient http;

  public PrometheusQuery(HttpClient http) {
    this.http = http;
  }

  public Measurement run(String address, String query, Credentials credentials, Duration timeout) {
    URI uri;
    try {
      uri = URI.create(address.replaceAll("/+$", "") + "/api/v1/query");
    } catch (IllegalArgumentException e) {
      return Measurement.failed("provider address " + address + " is not a URL: " + e.getMessage());
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)));
    credentials.header().ifPresent(value -> request.header("Authorization", value));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.net.http.HttpTimeoutException e) {
      return Measurement.failed("Prometheus at " + address + " did not answer within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      return Measurement.failed("cannot reach Prometheus at " + address + ": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Measurement.failed("interrupted");
    }
    return parse(address, response.statusCode(), response.body(), credentials);
  }

  static Measurement parse(String address, int status, String body, Credentials credentials) {
    if (status == 401 || status == 403) {
      return Measurement.failed("Prometheus at " + address + " refused the credentials (HTTP " + status + ")"
          + (credentials.source().isEmpty() ? "; the metric names no authSecretRef" : " from " + credentials.source()));
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      return Measurement.failed("Prometheus at " + address + " answered HTTP " + status + " with no API response: "
          + shorten(body));
    }
    if (!"success".equals(root.path("status").asText())) {
      return Measurement.failed("Prometheus answered HTTP " + status + ": " + root.path("errorType").asText("error")
          + ": " + root.path("error").asText(shorten(body)));
    }
    JsonNode data = root.path("data");
    List<Double> values = new ArrayList<>();
    switch (data.path("resultType").asText()) {
      case "vector" -> data.path("result").forEach(series -> values.add(number(series.path("value").path(1))));
      case "scalar" -> values.add(number(data.path("result").path(1)));
      default -> {
        return Measurement.failed("the query returns a " + data.path("resultType").asText()
            + "; a metric gate needs an instant vector or a scalar (aggregate a range with rate, increase, max_over_time)");
      }
    }
    values.removeIf(v -> v.isNaN()); // NaN (0/0 of a ratio over nothing) is no data, not a value
    return Measurement.of(values);
  }

  private static double number(JsonNode value) {
    try {
      return Double.parseDouble(value.asText());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    if (message == null && e.getCause() != null) {
      message = e.getCause().toString();
    }
    return e instanceof java.net.ConnectException && message == null ? "connection refused"
        : message == null ? e.getClass().getSimpleName() : message;
  }

  private static String shorten(String body) {
    String text = body == null ? "" : body.strip();
    return text.length() <= BODY_IN_MESSAGE ? text : text.substring(0, BODY_IN_MESSAGE) + "...";
  }
}
