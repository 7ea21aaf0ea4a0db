package io.wavegate.plugin;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.reflect.Method;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stops the JDK HTTP client under the Kubernetes client when a command ends. Its selector thread waits in
 * a native call, and a JVM that exits while a thread is in native waits 300 ms for it (HotSpot's exit
 * waits that long for such threads to block): a quarter of {@code kubectl wavegate list}. Java 21 and later
 * say how ({@code HttpClient.shutdownNow}); on 17 to 20 the client's selector thread, named after the
 * client's id, ends when interrupted. Where neither works nothing changes but the exit's speed, so every
 * failure is ignored.
 */
final class HttpClientStop {

  private static final Duration AWAIT = Duration.ofMillis(200);
  /** The JDK client's toString ends with its id, which names its selector thread: {@code …HttpClientImpl@1b2c(3)}. */
  private static final Pattern ID = Pattern.compile("\\((\\d+)\\)$");

  private HttpClientStop() {}

  static void stop(KubernetesClient client) {
    try {
      Object fabric8 = client.getHttpClient();
      // Fabric8's JDK client keeps the java.net.http client behind a package-private getter
      Method getter = fabric8.getClass().getDeclaredMethod("getHttpClient");
      getter.setAccessible(true);
      HttpClient jdk = (HttpClient) getter.invoke(fabric8);
      try {
        HttpClient.class.getMethod("shutdownNow").invoke(jdk);
        HttpClient.class.getMethod("awaitTermination", Duration.class).invoke(jdk, AWAIT);
      } catch (NoSuchMethodException beforeJava21) {
        Matcher id = ID.matcher(jdk.toString());
        if (id.find()) {
          interrupt("HttpClient-" + id.group(1) + "-SelectorManager");
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // the exit is only slower
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void interrupt(String name) throws InterruptedException {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals(name)) {
        thread.interrupt();
        thread.join(AWAIT.toMillis());
      }
    }
  }
}
