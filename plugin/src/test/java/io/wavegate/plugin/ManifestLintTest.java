package io.wavegate.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestLintTest {

  /**
   * Lint must not refuse what the API server accepts: the repository's examples, which CrdAdmissionTest
   * applies to a real API server, have no error (a rule that reads a defaulted field once failed here).
   */
  @Test
  void theExamplesTheApiServerAcceptsHaveNoError() {
    ManifestLint.Report report = ManifestLint.check(List.of(new File("../examples")));

    assertThat(report.lines()).noneMatch(line -> line.contains(": error: "));
    assertThat(report.errors()).isZero();
    assertThat(report.rollouts()).isGreaterThanOrEqualTo(6);
    assertThat(report.templates()).isGreaterThanOrEqualTo(1);
  }
}
