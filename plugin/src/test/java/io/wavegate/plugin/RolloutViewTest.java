package io.wavegate.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.ContentRollout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * `kubectl wavegate get` as a user sees it, for rollouts in the states that matter: each fixture in
 * src/test/resources/views/NAME.yaml renders to NAME.txt beside it, byte for byte (as Argo Rollouts
 * tests each command of its plugin against expected output).
 */
class RolloutViewTest {

  static final Instant NOW = Instant.parse("2026-12-01T12:04:30Z");

  @ParameterizedTest
  @ValueSource(strings = {"progressing", "waiting", "rolled-back"})
  void rendersAsTheFixtureSays(String name) throws IOException {
    ContentRollout rollout = Serialization.unmarshal(resource(name + ".yaml"), ContentRollout.class);

    assertThat(RolloutView.render(rollout, NOW)).isEqualTo(resource(name + ".txt"));
  }

  @org.junit.jupiter.api.Test
  void healthCountedAfreshAfterTheRollbackSaysSoUnderTheBreachThatStoppedIt() throws IOException {
    ContentRollout rollout = Serialization.unmarshal(resource("rolled-back.yaml"), ContentRollout.class);
    rollout.getStatus().setHealth(new io.wavegate.api.HealthStatus());

    assertThat(RolloutView.render(rollout, NOW)).contains("Health:    unready 0, reboots 0, crashing pods 0, content"
        + " failures 0  (now, after the rollback; what stopped it is under Stalled)")
        .contains("Stalled:   NodesRebooted: 3 node reboots");
  }

  static String resource(String name) throws IOException {
    try (InputStream in = RolloutViewTest.class.getResourceAsStream("/views/" + name)) {
      if (in == null) {
        throw new IOException("no fixture views/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
