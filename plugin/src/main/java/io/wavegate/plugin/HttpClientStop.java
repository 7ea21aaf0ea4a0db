package io.wavegate.plugin;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Stops the JDK HTTP client under the Kubernetes client when a command ends. Its selector thread waits in
 * a native call, and a JVM that exits while a thread is in native waits 300 ms for it (HotSpot's exit
 * waits that long for such threads to block): a quarter of {@code kubectl wavegate list}. Java 21 and later
 * say how ({@code HttpClient.shutdownNow}); on 17 to 20 the same is reached through java.net.http's
 * internals, which the launcher opens for this ({@code --add-opens}). Where neither works nothing
 * changes but the exit's speed, so every failure is ignored.
 */
final class HttpClientStop {

  private static final Duration AWAIT = Duration.ofMillis(200);

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
        Thread selector = (Thread) field(field(jdk, "impl"), "selmgr");
        invoke(selector, "shutdown");
        invoke(selector, "wakeupSelector");
        selector.join(AWAIT.toMillis());
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // the exit is only slower
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Object field(Object owner, String name) throws ReflectiveOperationException {
    Field field = owner.getClass().getDeclaredField(name);
    field.setAccessible(true);
    return field.get(owner);
  }

  private static void invoke(Object owner, String name) throws ReflectiveOperationException {
    Method method = owner.getClass().getDeclaredMethod(name);
    method.setAccessible(true);
    method.invoke(owner);
  }
}
