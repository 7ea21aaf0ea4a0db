package io.wavegate.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegate.contract.Digests;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ContentFactsTest {

  @Test
  void zeroBytesAreCountedEightAtATimeAsOneByOne() {
    Random random = new Random(7);
    for (int length : new int[] {0, 1, 7, 8, 9, 63, 64, 65, 4097}) {
      for (int density : new int[] {0, 1, 50, 99, 100}) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
          bytes[i] = random.nextInt(100) < density ? 0 : (byte) (1 + random.nextInt(255));
        }
        long oneByOne = 0;
        for (byte b : bytes) {
          oneByOne += b == 0 ? 1 : 0;
        }
        int offset = length > 3 ? 3 : 0;
        long tail = 0;
        for (int i = offset; i < length; i++) {
          tail += bytes[i] == 0 ? 1 : 0;
        }
        assertThat(ContentFacts.zeroBytes(bytes, 0, length)).as(length + " bytes, " + density + "% zero").isEqualTo(oneByOne);
        assertThat(ContentFacts.zeroBytes(bytes, offset, length - offset)).as("from an offset").isEqualTo(tail);
      }
    }
  }

  @Test
  void aPassOverTheContentAndACountingWriteTellTheSame() throws Exception {
    byte[] bytes = "rules\0\0\0 and more\0".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    ContentFacts.Counting counting = new ContentFacts.Counting(copy);
    counting.write(bytes, 0, 5);
    counting.write(bytes[5]);
    counting.write(bytes, 6, bytes.length - 6);

    ContentFacts facts = ContentFacts.of(bytes);
    assertThat(facts).isEqualTo(new ContentFacts(Digests.sha256Hex(bytes), bytes.length, 4));
    assertThat(counting.size()).isEqualTo(facts.size());
    assertThat(counting.zeros()).isEqualTo(facts.zeros());
    assertThat(copy.toByteArray()).isEqualTo(bytes);
  }
}
