package io.wavegate.agent;

import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step an agent takes before anything else, and all that {@code guard} mode does: for every
 * channel whose revision is still tentative, a new boot ID means the node went down with it, so the
 * previous file is restored before a consumer can load the suspect one again.
 */
public final class Guard {

  private static final Logger LOG = LoggerFactory.getLogger(Guard.class);

  private final ContentStore store;
  private final Path bootIdFile;
  private final Clock clock;

  public Guard(ContentStore store, Path bootIdFile, Clock clock) {
    this.store = store;
    this.bootIdFile = bootIdFile;
    this.clock = clock;
  }

  /** The node's boot ID, or null when it cannot be read (then nothing is reverted for a reboot). */
  public String bootId() {
    try {
      return Files.readString(bootIdFile, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      LOG.warn("cannot read the boot ID from {}: {}; boot assessment cannot tell a reboot", bootIdFile, e.getMessage());
      return null;
    }
  }

  /** Restores the previous file of every channel whose tentative revision did not survive a reboot; names them. */
  public List<String> run() throws IOException {
    List<String> reverted = new ArrayList<>();
    store.recover(); // the guard may run first after an upgrade: the disk in the current layout before any assessment
    String bootId = bootId();
    for (String channel : store.channels()) {
      if (assess(channel, bootId) == BootAssessment.Verdict.REVERT) {
        reverted.add(channel);
      }
    }
    return reverted;
  }

  /** Assesses one channel and carries out the verdict on disk (revert, confirm, or drop a stale state). */
  BootAssessment.Verdict assess(String channel, String bootId) throws IOException {
    ChannelState state = store.state(channel);
    if (!state.tentative()) {
      return BootAssessment.Verdict.NONE;
    }
    String onDisk = store.current(channel).map(ContentStore.Current::revision).orElse(null);
    BootAssessment.Verdict verdict = BootAssessment.assess(state, onDisk, bootId, clock.instant());
    switch (verdict) {
      case REVERT -> {
        Optional<Path> previous = store.previous(channel);
        String restored = store.restorePrevious(channel);
        String message = "the node booted again (boot ID " + state.bootId() + " -> " + bootId + ") while revision "
            + Digests.shortRevision(state.revision()) + " was tentative (applied " + state.appliedAt()
            + ", to be confirmed " + state.confirmAt() + "); " + (previous.isPresent()
            ? "restored the previous file, revision " + Digests.shortRevision(restored)
            : "removed it: the node had no content before");
        store.saveState(channel, ChannelState.refused(state.revision(), AgentReport.REVERTED_AFTER_REBOOT, message,
            restored, clock.instant()));
        LOG.warn("channel {}: revision {} reverted after a reboot: {}", channel, Digests.shortRevision(state.revision()),
            message);
      }
      case CONFIRM -> store.saveState(channel, state.confirmed(clock.instant()));
      case STALE -> store.saveState(channel, ChannelState.NONE);
      default -> { }
    }
    return verdict;
  }
}
