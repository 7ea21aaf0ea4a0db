package io.wavegate.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegate.agent.BootAssessment.Verdict;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BootAssessmentTest {

  static final Instant APPLIED = Instant.parse("2026-11-27T10:00:00Z");
  static final Instant CONFIRM_AT = APPLIED.plusSeconds(300);
  static final ChannelState TENTATIVE = ChannelState.applied("r2", APPLIED, "boot-a", CONFIRM_AT);

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("nothing recorded", ChannelState.NONE, "r1", "boot-a", APPLIED, Verdict.NONE),
        Arguments.of("confirmed at once (confirmAfter 0s)", ChannelState.applied("r2", APPLIED, "boot-a", APPLIED),
            "r2", "boot-b", APPLIED.plusSeconds(1), Verdict.NONE),
        Arguments.of("already confirmed, then a reboot", TENTATIVE.confirmed(CONFIRM_AT), "r2", "boot-b",
            CONFIRM_AT.plusSeconds(60), Verdict.NONE),
        Arguments.of("same boot, before confirmAfter", TENTATIVE, "r2", "boot-a", APPLIED.plusSeconds(10), Verdict.WAIT),
        Arguments.of("same boot, at confirmAfter", TENTATIVE, "r2", "boot-a", CONFIRM_AT, Verdict.CONFIRM),
        Arguments.of("new boot while tentative", TENTATIVE, "r2", "boot-b", APPLIED.plusSeconds(10), Verdict.REVERT),
        Arguments.of("new boot found only after confirmAfter passed", TENTATIVE, "r2", "boot-b",
            CONFIRM_AT.plusSeconds(600), Verdict.REVERT),
        Arguments.of("state names a file that never became current", TENTATIVE, "r1", "boot-b",
            APPLIED.plusSeconds(10), Verdict.STALE),
        Arguments.of("no file on disk", TENTATIVE, null, "boot-b", APPLIED.plusSeconds(10), Verdict.STALE),
        Arguments.of("boot ID unreadable: never a revert, confirmed by time", TENTATIVE, "r2", null, CONFIRM_AT,
            Verdict.CONFIRM));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void assesses(String name, ChannelState state, String onDisk, String bootId, Instant now, Verdict expected) {
    assertThat(BootAssessment.assess(state, onDisk, bootId, now)).isEqualTo(expected);
  }
}
