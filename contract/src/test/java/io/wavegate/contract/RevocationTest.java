package io.wavegate.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RevocationTest {

  private static final String BAD = "b".repeat(64);
  private static final String STABLE = "5".repeat(64);
  private static final String OTHER = "0".repeat(64);
  private static final Revocation WITH_STABLE = new Revocation("rules", List.of(BAD),
      Optional.of(new Revocation.Stable(STABLE, "wavegate/wavegate-rules-555555555555", null, "c2ln", "Ed25519", "k1")),
      "CrashLoop");
  private static final Revocation WITHOUT_STABLE = new Revocation("rules", List.of(BAD), Optional.empty(), "Aborted");

  static Stream<Arguments> verdicts() {
    return Stream.of(
        Arguments.of("nothing on disk", WITH_STABLE, null, null, Revocation.Verdict.KEEP),
        Arguments.of("the stable revision on disk", WITH_STABLE, STABLE, BAD, Revocation.Verdict.KEEP),
        Arguments.of("another revision on disk", WITH_STABLE, OTHER, BAD, Revocation.Verdict.KEEP),
        Arguments.of("revoked, previous is stable", WITH_STABLE, BAD, STABLE, Revocation.Verdict.RESTORE_PREVIOUS),
        Arguments.of("revoked, previous is another", WITH_STABLE, BAD, OTHER, Revocation.Verdict.FETCH_STABLE),
        Arguments.of("revoked, no previous", WITH_STABLE, BAD, null, Revocation.Verdict.FETCH_STABLE),
        Arguments.of("revoked, no stable revision", WITHOUT_STABLE, BAD, OTHER, Revocation.Verdict.REMOVE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("verdicts")
  void aNodeHoldingARevokedRevisionGoesBackToTheStableOneAndNoOtherNodeMoves(String name, Revocation revocation,
      String current, String previous, Revocation.Verdict expected) {
    assertThat(revocation.verdict(Optional.ofNullable(current), Optional.ofNullable(previous))).isEqualTo(expected);
  }

  @Test
  void theObjectReadsBackAsTheSameRevocation() {
    assertThat(Revocation.of(WITH_STABLE.toObject(null))).contains(WITH_STABLE);
    assertThat(Revocation.of(WITHOUT_STABLE.toObject(null))).contains(WITHOUT_STABLE);
  }

  @Test
  void anObjectThatRevokesItsOwnStableRevisionIsIgnored() {
    Revocation contradictory = new Revocation("rules", List.of(BAD, STABLE), WITH_STABLE.stable(), null);
    assertThat(Revocation.of(contradictory.toObject(null))).isEmpty();
    assertThat(Revocation.of(new ContentRevocation())).isEmpty();
  }
}
