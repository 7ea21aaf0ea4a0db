package io.wavegate.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentFileNamesTest {

  @ParameterizedTest(name = "{0} -> allowed {1}")
  @CsvSource({
      "C-00000291.sys, true",
      "policy.json, true",
      "x.previous, true",
      "a.tmp-b, true",
      "_state, true",
      "-dash, true",
      "previous, true",
      "state, true",
      "current, true",
      ".wavegate, false",
      ".wavegate-state, false",
      ".wavegate-current, false",
      ".hidden, false",
      "., false",
      ".., false",
      "dir/file, false",
      "../escape, false",
      "'', false",
      "spa ce, false",
  })
  void onlyPlainNamesThatDoNotStartWithADotAreContent(String name, boolean allowed) {
    assertThat(ContentFileNames.problem(name).isEmpty()).isEqualTo(allowed);
  }

  @ParameterizedTest
  @CsvSource({"253, true", "254, false"})
  void theLengthIsBounded(int length, boolean allowed) {
    assertThat(ContentFileNames.problem("a".repeat(length)).isEmpty()).isEqualTo(allowed);
  }
}
