package io.wavegate.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real shell commands, as a consumer would configure them. */
class ApplyHookTest {

  @TempDir
  Path dir;

  @Test
  void aHookThatExitsZeroAcceptsAndSeesTheFileAndRevision() throws Exception {
    Path seen = dir.resolve("seen");
    ApplyHook hook = new ApplyHook("echo \"$WAVEGATE_CHANNEL $WAVEGATE_FILE $WAVEGATE_REVISION $WAVEGATE_PREVIOUS_FILE\" > "
        + seen, Duration.ofSeconds(10));
    assertThat(hook.run("sensor", dir.resolve("C-291.sys"), "abc123", dir.resolve("C-291.sys.previous"))).isEmpty();
    assertThat(Files.readString(seen).trim())
        .isEqualTo("sensor " + dir.resolve("C-291.sys") + " abc123 " + dir.resolve("C-291.sys.previous"));
  }

  @Test
  void aNonZeroExitIsARefusalWithTheTailOfItsOutput() {
    ApplyHook hook = new ApplyHook("seq 1 500; echo 'consumer: cannot parse channel file' >&2; exit 3",
        Duration.ofSeconds(10));
    String refusal = hook.run("sensor", dir.resolve("f"), "abc", null).orElseThrow();
    assertThat(refusal).startsWith("apply hook exited 3: ...").endsWith("consumer: cannot parse channel file");
    assertThat(refusal.length()).isLessThan(ApplyHook.OUTPUT_LIMIT + 40);
  }

  @Test
  void aHookThatHangsIsStoppedAtItsTimeout() {
    ApplyHook hook = new ApplyHook("echo reloading; sleep 30", Duration.ofMillis(500));
    long start = System.nanoTime();
    // the shell may add "Killed" after the output it had printed
    assertThat(hook.run("sensor", dir.resolve("f"), "abc", null)).get().asString()
        .startsWith("apply hook timed out after 500 ms: reloading");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }
}
