package io.wavegate.agent;

import io.wavegate.contract.Digests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {

  private static ChannelState confirmed(byte[] bytes) {
    Instant now = Instant.parse("2026-11-27T10:00:00Z");
    return ChannelState.applied(Digests.sha256Hex(bytes), now, "boot", now);
  }

  @TempDir
  Path root;

  private static final byte[] V1 = "rules v1".getBytes(StandardCharsets.UTF_8);
  private static final byte[] V2 = "rules v2".getBytes(StandardCharsets.UTF_8);

  @Test
  void writesTheFileAndKeepsThePreviousRevisionBesideIt() throws Exception {
    ContentStore store = new ContentStore(root);
    store.write("sensor", "C-291.sys", V1, confirmed(V1));
    store.write("sensor", "C-291.sys", V2, confirmed(V2));

    assertThat(Files.readAllBytes(root.resolve("sensor/C-291.sys"))).isEqualTo(V2);
    assertThat(Files.readAllBytes(root.resolve("sensor/.wavegate/previous/C-291.sys"))).isEqualTo(V1);
    try (var files = Files.list(root.resolve("sensor"))) {
      assertThat(files.map(p -> p.getFileName().toString())).as("a consumer sees its file and the agent's directory")
          .containsExactlyInAnyOrder("C-291.sys", ".wavegate");
    }
    assertThat(store.current("sensor")).get().extracting(ContentStore.Current::revision)
        .isEqualTo(Digests.sha256Hex(V2));
  }

  @Test
  void aCrashBetweenWriteAndRenameLeavesTheOldFileCurrentAndRecoveryRemovesThePartialFile() throws Exception {
    ContentStore store = new ContentStore(root);
    store.write("sensor", "C-291.sys", V1, confirmed(V1));
    // what a crash after writing the temp file, before the rename, leaves behind
    Path partial = root.resolve("sensor/.wavegate/" + ContentStore.TEMP_MARK + "crashed");
    Files.write(partial, new byte[] {0, 0, 0, 0});

    ContentStore restarted = new ContentStore(root);
    assertThat(restarted.current("sensor").get().revision()).isEqualTo(Digests.sha256Hex(V1));
    assertThat(restarted.recover()).isEqualTo(1);
    assertThat(partial).doesNotExist();
    assertThat(Files.readAllBytes(root.resolve("sensor/C-291.sys"))).isEqualTo(V1);
  }

  @Test
  void aNewFileNameReplacesTheOldOne() throws Exception {
    ContentStore store = new ContentStore(root);
    store.write("policy", "v1.json", V1, confirmed(V1));
    store.write("policy", "v2.json", V2, confirmed(V2));

    assertThat(root.resolve("policy/v1.json")).doesNotExist();
    assertThat(root.resolve("policy/.wavegate/previous/v1.json")).exists();
    assertThat(store.current("policy").get().fileName()).isEqualTo("v2.json");
  }

  @Test
  void removeDeletesTheChannel() throws Exception {
    ContentStore store = new ContentStore(root);
    store.write("sensor", "C-291.sys", V1, confirmed(V1));
    store.write("other", "x.bin", V2, confirmed(V2));
    store.remove("sensor");

    assertThat(root.resolve("sensor")).doesNotExist();
    assertThat(store.current("sensor")).isEmpty();
    assertThat(store.channels()).containsExactly("other");
  }

  @Test
  void restoringThePreviousFileMakesItCurrentAgainUnderItsOwnName() throws Exception {
    ContentStore store = new ContentStore(root);
    store.write("policy", "v1.json", V1, confirmed(V1));
    store.write("policy", "v2.json", V2, confirmed(V2));

    assertThat(store.restorePrevious("policy")).isEqualTo(Digests.sha256Hex(V1));
    assertThat(store.current("policy").get().fileName()).isEqualTo("v1.json");
    assertThat(Files.readAllBytes(root.resolve("policy/v1.json"))).isEqualTo(V1);
    assertThat(root.resolve("policy/v2.json")).doesNotExist();
    assertThat(store.previous("policy")).isEmpty();
  }

  @Test
  void restoringWithNoPreviousFileRemovesTheCurrentOne() throws Exception {
    ContentStore store = new ContentStore(root);
    store.write("sensor", "C-291.sys", V1, confirmed(V1));

    assertThat(store.restorePrevious("sensor")).isNull();
    assertThat(store.current("sensor")).isEmpty();
    assertThat(root.resolve("sensor/C-291.sys")).doesNotExist();
  }

  @Test
  void onlyTheLastPreviousFileIsKept() throws Exception {
    ContentStore store = new ContentStore(root);
    store.write("policy", "a.json", V1, confirmed(V1));
    store.write("policy", "b.json", V2, confirmed(V2));
    store.write("policy", "c.json", V1, confirmed(V1));

    try (var files = Files.list(root.resolve("policy/.wavegate/previous"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("b.json");
    }
  }

  @Test
  void theStateSurvivesARestart() throws Exception {
    Instant now = Instant.parse("2026-11-27T10:00:00Z");
    ChannelState tentative = ChannelState.applied(Digests.sha256Hex(V2), now, "boot-a", now.plusSeconds(300));
    new ContentStore(root).write("sensor", "C-291.sys", V2, tentative);

    assertThat(new ContentStore(root).state("sensor")).isEqualTo(tentative);
    ChannelState refused = ChannelState.refused("abc", "HookFailed", "exit 3: line 1\nline 2 = x", null, now);
    new ContentStore(root).saveState("sensor", refused);
    assertThat(new ContentStore(root).state("sensor")).isEqualTo(refused);
  }

  @Test
  void aHandEditedStateCountsAsNone() throws Exception {
    ContentStore store = new ContentStore(root);
    store.write("sensor", "C-291.sys", V1, confirmed(V1));
    Files.writeString(root.resolve("sensor/.wavegate").resolve(ContentStore.STATE_RECORD),
        "revision=x\nconfirmAt=yesterday\n");
    assertThat(store.state("sensor")).isEqualTo(ChannelState.NONE);
  }

  @Test
  void anEmptyStoreHasNothingCurrent() throws Exception {
    ContentStore store = new ContentStore(root.resolve("missing"));
    assertThat(store.current("sensor")).isEmpty();
    assertThat(store.recover()).isZero();
    assertThat(store.channels()).isEmpty();
  }

  /** Names an earlier layout or the agent itself uses: as content they are refused or stay apart from its bookkeeping. */
  @ParameterizedTest(name = "{0} then {1}")
  @CsvSource({
      "x, x.previous",
      "x.previous, x",
      "C-291.sys, C-291.sys.previous",
      "a, a.tmp-b",
      "state, current",
      "current, previous",
      "previous, state",
      "tmp-1, tmp-2",
  })
  void noContentNameCollidesWithTheAgentsBookkeeping(String first, String second) throws Exception {
    ContentStore store = new ContentStore(root);
    Instant now = Instant.parse("2026-11-27T10:00:00Z");
    ChannelState tentative = ChannelState.applied(Digests.sha256Hex(V2), now, "boot-a", now.plusSeconds(300));
    store.write("ch", first, V1, confirmed(V1));
    store.write("ch", second, V2, tentative);

    assertThat(Files.readAllBytes(root.resolve("ch").resolve(second))).isEqualTo(V2);
    assertThat(store.current("ch")).get().extracting(ContentStore.Current::fileName, ContentStore.Current::revision)
        .containsExactly(second, Digests.sha256Hex(V2));
    assertThat(store.state("ch")).isEqualTo(tentative);
    assertThat(store.previous("ch")).get().satisfies(p -> assertThat(Files.readAllBytes(p)).isEqualTo(V1));
    assertThat(store.recover()).isZero();
    assertThat(Files.readAllBytes(root.resolve("ch").resolve(second))).as("recovery leaves content alone").isEqualTo(V2);

    assertThat(store.restorePrevious("ch")).isEqualTo(Digests.sha256Hex(V1));
    assertThat(Files.readAllBytes(root.resolve("ch").resolve(first))).isEqualTo(V1);
    store.write("ch", second, V2, tentative);
    assertThat(store.current("ch").get().revision()).as("written again after a restore").isEqualTo(Digests.sha256Hex(V2));
  }

  @ParameterizedTest
  @ValueSource(strings = {".wavegate", ".wavegate-state", ".wavegate-current", ".hidden", "..", "a/b", ""})
  void namesThatAreNotContentNamesAreNeverWritten(String name) throws Exception {
    ContentStore store = new ContentStore(root);
    store.write("ch", "ok.bin", V1, confirmed(V1));

    assertThatThrownBy(() -> store.write("ch", name, V2, confirmed(V2))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not start with '.'");
    assertThat(store.current("ch").get().fileName()).isEqualTo("ok.bin");
    assertThat(store.state("ch")).isEqualTo(confirmed(V1));
  }

  @Test
  void aChannelInTheLayoutOfEarlierAgentsMovesIntoTheAgentsDirectory() throws Exception {
    Path ch = Files.createDirectories(root.resolve("sensor"));
    Files.write(ch.resolve("C-291.sys"), V2);
    Files.write(ch.resolve("C-291.sys.previous"), V1);
    Files.writeString(ch.resolve(ContentStore.LEGACY_CURRENT), "C-291.sys\n");
    Files.writeString(ch.resolve(ContentStore.LEGACY_STATE), "revision=" + Digests.sha256Hex(V2) + "\n");
    Files.write(ch.resolve(".C-291.sys.tmp-crashed"), new byte[] {0});

    ContentStore store = new ContentStore(root);
    store.recover();

    assertThat(store.current("sensor")).get().extracting(ContentStore.Current::revision).isEqualTo(Digests.sha256Hex(V2));
    assertThat(store.state("sensor").revision()).isEqualTo(Digests.sha256Hex(V2));
    assertThat(store.previous("sensor")).get().satisfies(p -> assertThat(Files.readAllBytes(p)).isEqualTo(V1));
    try (var files = Files.list(ch)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("C-291.sys", ".wavegate");
    }
    assertThat(store.restorePrevious("sensor")).isEqualTo(Digests.sha256Hex(V1));
  }
}
