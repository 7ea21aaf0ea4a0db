package io.wavegate.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegate.validation.ContentGate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {

  @TempDir
  Path root;

  private static final byte[] V1 = "rules v1".getBytes(StandardCharsets.UTF_8);
  private static final byte[] V2 = "rules v2".getBytes(StandardCharsets.UTF_8);

  @Test
  void writesTheFileAndKeepsThePreviousRevisionBesideIt() throws Exception {
    ContentStore store = new ContentStore(root);
    store.write("sensor", "C-291.sys", V1);
    store.write("sensor", "C-291.sys", V2);

    assertThat(Files.readAllBytes(root.resolve("sensor/C-291.sys"))).isEqualTo(V2);
    assertThat(Files.readAllBytes(root.resolve("sensor/C-291.sys.previous"))).isEqualTo(V1);
    assertThat(store.current("sensor")).get().extracting(ContentStore.Current::revision)
        .isEqualTo(ContentGate.sha256Hex(V2));
  }

  @Test
  void aCrashBetweenWriteAndRenameLeavesTheOldFileCurrentAndRecoveryRemovesThePartialFile() throws Exception {
    ContentStore store = new ContentStore(root);
    store.write("sensor", "C-291.sys", V1);
    // what a crash after writing the temp file, before the rename, leaves behind
    Path partial = root.resolve("sensor/.C-291.sys" + ContentStore.TEMP_MARK + "crashed");
    Files.write(partial, new byte[] {0, 0, 0, 0});

    ContentStore restarted = new ContentStore(root);
    assertThat(restarted.current("sensor").get().revision()).isEqualTo(ContentGate.sha256Hex(V1));
    assertThat(restarted.recover()).isEqualTo(1);
    assertThat(partial).doesNotExist();
    assertThat(Files.readAllBytes(root.resolve("sensor/C-291.sys"))).isEqualTo(V1);
  }

  @Test
  void aNewFileNameReplacesTheOldOne() throws Exception {
    ContentStore store = new ContentStore(root);
    store.write("policy", "v1.json", V1);
    store.write("policy", "v2.json", V2);

    assertThat(root.resolve("policy/v1.json")).doesNotExist();
    assertThat(root.resolve("policy/v1.json.previous")).exists();
    assertThat(store.current("policy").get().fileName()).isEqualTo("v2.json");
  }

  @Test
  void removeDeletesTheChannel() throws Exception {
    ContentStore store = new ContentStore(root);
    store.write("sensor", "C-291.sys", V1);
    store.write("other", "x.bin", V2);
    store.remove("sensor");

    assertThat(root.resolve("sensor")).doesNotExist();
    assertThat(store.current("sensor")).isEmpty();
    assertThat(store.channels()).containsExactly("other");
  }

  @Test
  void anEmptyStoreHasNothingCurrent() throws Exception {
    ContentStore store = new ContentStore(root.resolve("missing"));
    assertThat(store.current("sensor")).isEmpty();
    assertThat(store.recover()).isZero();
    assertThat(store.channels()).isEmpty();
  }
}
