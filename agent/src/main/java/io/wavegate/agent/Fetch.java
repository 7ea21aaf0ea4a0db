package io.wavegate.agent;

import io.wavegate.contract.oci.OciException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code wavegate-agent.jar fetch REFERENCE SHA256 FILE}: the one-shot pull a validator Job's init
 * container runs for OCI content, so the consumer it validates loads exactly the bytes nodes will get.
 * The blob {@code sha256:SHA256} of REFERENCE's repository is streamed to a temporary file beside FILE,
 * its digest checked, fsynced and renamed to FILE. A registry that does not serve it is tried again
 * with back-off and jitter until {@code deadline}; other bytes than the digest are never retried.
 */
final class Fetch {

  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration LONGEST_RETRY = Duration.ofSeconds(30);

  private final RegistryPull registry;
  private final Clock clock;

  Fetch(RegistryPull registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** The outcome: the file in place, or why not (a content fault, or the registry until the deadline). */
  record Result(boolean fetched, String message) {}

  Result run(String reference, String sha256, Path file, Instant deadline) throws InterruptedException {
    Duration wait = FIRST_RETRY;
    while (true) {
      Path staged = file.resolveSibling("." + file.getFileName() + ".fetching");
      try {
        Files.createDirectories(file.toAbsolutePath().getParent());
        registry.pull(reference, sha256, staged);
        try (FileChannel channel = FileChannel.open(staged, StandardOpenOption.WRITE)) {
          channel.force(true);
        }
        Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new Result(true, "fetched sha256:" + sha256 + " from " + reference + " to " + file);
      } catch (OciException e) {
        deleteQuietly(staged);
        if (!e.sourceFault() || !clock.instant().plus(wait).isBefore(deadline)) {
          return new Result(false, e.getMessage());
        }
        Thread.sleep(wait.toMillis() / 2 + ThreadLocalRandom.current().nextLong(wait.toMillis() / 2 + 1));
        wait = wait.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait.multipliedBy(2);
      } catch (IOException e) {
        deleteQuietly(staged);
        return new Result(false, "cannot write " + file + ": " + e);
      }
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a temporary file in an emptyDir
    }
  }
}
