package io.wavegate.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentReportTest {

  static final String REV = "a".repeat(64);

  @Test
  void aFailureIsTheNodesOnlyForANodeLocalReasonAndAReportWithoutAReasonIsNot() {
    assertThat(new AgentReport(REV, AgentReport.FAILED, "WriteError", "disk full", "now").nodeFault(REV)).isTrue();
    assertThat(new AgentReport(REV, AgentReport.FAILED, "DigestMismatch", "x", "now").nodeFault(REV)).isFalse();
    // a third-party agent may leave the reason out: a content failure, never an exception
    assertThat(new AgentReport(REV, AgentReport.FAILED, null, "x", "now").nodeFault(REV)).isFalse();
    assertThat(new AgentReport(REV, AgentReport.APPLIED, null, null, "now").nodeLocal()).isFalse();
  }
}
