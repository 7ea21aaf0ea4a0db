package io.wavegate.analysis;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Asks the wave webhooks decisions ask for, off the reconcile thread (as {@link MetricMeasurer} takes
 * measurements): a slow webhook never delays a health signal. A call that fails to connect, times out or
 * gets a 5xx is made again up to the webhook's retries; the answer then waits here until the rollout's
 * next reconcile takes it, and a reconcile is asked for at once. One call per webhook at a time; an
 * answer lost to a restart is simply asked again.
 */
public final class WebhookCaller implements AutoCloseable {

  static final int MESSAGE_LENGTH = 256;
  static final Duration RETRY_PAUSE = Duration.ofMillis(500);

  private final KubernetesClient client;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final RolloutJobs<WebhookAnswer> jobs;

  public WebhookCaller(KubernetesClient client, Clock clock, int concurrency) {
    this.client = client;
    this.clock = clock;
    this.jobs = new RolloutJobs<>("wavegate-webhooks", concurrency);
  }

  /** Called with the rollout's name when one of its answers is ready. */
  public void onAnswer(Consumer<String> listener) {
    jobs.onDone(listener);
  }

  /** Starts the calls a decision asks for, skipping a webhook whose last call is still running. */
  public void call(List<WebhookCall> calls) {
    for (WebhookCall call : calls) {
      jobs.submit(call.channel(), call.key(), () -> ask(call));
    }
  }

  /** The answers completed since the last call, for the rollout's next decision. */
  public List<WebhookAnswer> take(String rollout) {
    return jobs.take(rollout);
  }

  private WebhookAnswer ask(WebhookCall call) {
    WebhookDef def = call.def();
    String message;
    boolean passed = false;
    try {
      PrometheusQuery.Credentials credentials = SecretCredentials.read(client, def.credentials(), "secretRef");
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(def.url())).timeout(def.timeout())
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(Serialization.asJson(body(call))));
      credentials.header().ifPresent(value -> request.header("Authorization", value));
      message = "no answer";
      for (int attempt = 0; attempt <= def.retries(); attempt++) {
        try {
          HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
          message = "HTTP " + response.statusCode() + answerText(response.body());
          passed = response.statusCode() / 100 == 2;
          if (response.statusCode() < 500) {
            break;
          }
        } catch (IOException e) {
          message = "no answer from " + def.url() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
        }
        if (attempt < def.retries()) {
          Thread.sleep(RETRY_PAUSE.toMillis());
        }
      }
      if (!passed && message.startsWith("no answer")) {
        message += " (after " + (def.retries() + 1) + " tries)";
      }
    } catch (SecretCredentials.Unreadable | IllegalArgumentException e) {
      message = e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      message = "the operator stopped while calling";
    }
    return new WebhookAnswer(call.revision(), call.wave(), def.name(), def.type(), passed, message, clock.instant());
  }

  private static Map<String, Object> body(WebhookCall call) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("channel", call.channel());
    body.put("revision", call.revision());
    body.put("wave", call.wave());
    body.put("type", call.def().type().name());
    body.put("webhook", call.def().name());
    body.put("nodes", call.nodes());
    return body;
  }

  private static String answerText(String body) {
    String text = body == null ? "" : body.strip().replaceAll("\\s+", " ");
    if (text.isEmpty()) {
      return "";
    }
    return ": " + (text.length() > MESSAGE_LENGTH ? text.substring(0, MESSAGE_LENGTH) + "…" : text);
  }

  @Override
  public void close() {
    jobs.close();
  }
}
