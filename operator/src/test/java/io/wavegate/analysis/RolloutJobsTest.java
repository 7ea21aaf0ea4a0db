package io.wavegate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RolloutJobsTest {

  @Test
  void aKeyRunsOnceAtATimeAndEachResultWaitsForItsRolloutWhichIsWoken() throws Exception {
    LinkedBlockingQueue<String> woken = new LinkedBlockingQueue<>();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger started = new AtomicInteger();
    try (RolloutJobs<String> jobs = new RolloutJobs<>("test-jobs", 2)) {
      jobs.onDone(woken::add);
      jobs.submit("a", "a/crashes", () -> {
        started.incrementAndGet();
        await(release);
        return "a-crashes";
      });
      jobs.submit("a", "a/crashes", () -> {
        started.incrementAndGet();
        return "a-crashes-again";
      });
      jobs.submit("b", "b/crashes", () -> "b-crashes");

      assertThat(woken.poll(5, TimeUnit.SECONDS)).isEqualTo("b");
      assertThat(jobs.take("a")).as("still running").isEmpty();
      release.countDown();
      assertThat(woken.poll(5, TimeUnit.SECONDS)).isEqualTo("a");

      assertThat(started).as("the second job of a running key was not started").hasValue(1);
      assertThat(jobs.take("a")).containsExactly("a-crashes");
      assertThat(jobs.take("a")).as("taken once").isEmpty();
      assertThat(jobs.take("b")).isEqualTo(List.of("b-crashes"));

      jobs.submit("a", "a/crashes", () -> "a-crashes-next");
      assertThat(woken.poll(5, TimeUnit.SECONDS)).as("the key is free again once its job ended").isEqualTo("a");
      assertThat(jobs.take("a")).containsExactly("a-crashes-next");
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
