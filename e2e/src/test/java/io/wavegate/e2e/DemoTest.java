package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegate.demo.Demo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's demo in its short mode, with the OCI rollout: it must exit 0 with the summary a new user reads. */
class DemoTest {

  @Test
  void theShortDemoPlaysItsRolloutsTheOciOneIncludedAndEndsAsExpected() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    int exit = Demo.run(List.of("--short", "--oci"), out);

    String printed = buffer.toString(StandardCharsets.UTF_8);
    System.out.println(printed);
    assertThat(exit).isZero();
    assertThat(printed).containsPattern("a good revision +[0-9a-f]{12} +Succeeded +30/30 +as expected");
    assertThat(printed).containsPattern("zero bytes .* +[0-9a-f]{12} +Rejected +0/30 +as expected");
    assertThat(printed).containsPattern("crashes nodes on load +[0-9a-f]{12} +RolledBack +3/30 +as expected");
    assertThat(printed).containsPattern("16 MiB channel file from an OCI registry, pulled by digest +[0-9a-f]{12}"
        + " +Succeeded +30/30 +as expected");
    assertThat(printed).contains("DEMO PASSED");
  }
}
