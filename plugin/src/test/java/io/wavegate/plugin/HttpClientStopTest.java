package io.wavegate.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.wavegate.api.ContentRollout;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class HttpClientStopTest {

  KubernetesClient client;

  /** The thread that would hold a plugin's exit 300 ms (it waits in a native call) is gone once stopped. */
  @Test
  void theHttpClientsSelectorThreadEndsSoTheJvmExitsAtOnce() {
    client.resources(ContentRollout.class).list();
    long running = selectors();
    assertThat(running).as("the JDK HTTP client's selector thread runs").isPositive();

    HttpClientStop.stop(client);

    assertThat(selectors()).as("this client's selector ended, no other").isEqualTo(running - 1);
  }

  private static long selectors() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager"))
        .count();
  }
}
