package io.wavegate.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Digests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard step on a real directory, the boot ID in a file as on a node. */
class GuardTest {

  static final byte[] V1 = "rules v1".getBytes(StandardCharsets.UTF_8);
  static final byte[] V2 = "rules v2".getBytes(StandardCharsets.UTF_8);
  static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  @TempDir
  Path root;
  Path bootId;
  ContentStore store;

  @BeforeEach
  void node() throws Exception {
    bootId = root.resolve("boot_id");
    Files.writeString(bootId, "boot-a\n");
    store = new ContentStore(root.resolve("content"));
    store.write("sensor", "C-291.sys", V1, ChannelState.applied(Digests.sha256Hex(V1), T0, "boot-a", T0));
    store.write("sensor", "C-291.sys", V2, ChannelState.applied(Digests.sha256Hex(V2), T0, "boot-a", T0.plusSeconds(300)));
  }

  private Guard at(Instant now) {
    return new Guard(store, bootId, Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void aRebootWhileTentativeRestoresThePreviousFileAndRecordsWhy() throws Exception {
    Files.writeString(bootId, "boot-b\n");
    assertThat(at(T0.plusSeconds(30)).run()).containsExactly("sensor");

    assertThat(Files.readAllBytes(store.current("sensor").get().path())).isEqualTo(V1);
    ChannelState state = store.state("sensor");
    assertThat(state.refuses(Digests.sha256Hex(V2))).isTrue();
    assertThat(state.refusedReason()).isEqualTo(AgentReport.REVERTED_AFTER_REBOOT);
    assertThat(state.refusedMessage()).contains("boot ID boot-a -> boot-b", "restored the previous file");
    assertThat(state.tentative()).isFalse();
    assertThat(at(T0.plusSeconds(60)).run()).as("running the guard again changes nothing").isEmpty();
  }

  @Test
  void theSameBootKeepsTheRevisionAndConfirmsItOnceConfirmAfterPassed() throws Exception {
    assertThat(at(T0.plusSeconds(30)).run()).isEmpty();
    assertThat(store.state("sensor").tentative()).isTrue();

    at(T0.plusSeconds(300)).run();
    assertThat(store.state("sensor").tentative()).isFalse();
    Files.writeString(bootId, "boot-b\n");
    assertThat(at(T0.plusSeconds(900)).run()).as("a confirmed revision survives a later reboot").isEmpty();
    assertThat(Files.readAllBytes(store.current("sensor").get().path())).isEqualTo(V2);
  }

  @Test
  void anUnreadableBootIdNeverReverts() throws Exception {
    Files.delete(bootId);
    assertThat(at(T0.plusSeconds(30)).run()).isEmpty();
    assertThat(Files.readAllBytes(store.current("sensor").get().path())).isEqualTo(V2);
  }
}
