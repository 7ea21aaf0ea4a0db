package io.wavegate.rollout;

import io.wavegate.health.Signal;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Why a rollout stopped, waits or errs: typed from the decider to status, written as its name
 * (status.stall.reason, status.wait.reason, status.error.reason, the conditions' reasons) and read
 * back tolerantly: a name this operator does not know (written by a newer one) is kept as
 * {@link Other}, never an error.
 */
public sealed interface Reason permits Reason.Breach, WaitReason, StopReason, ErrorReason, Reason.Other {

  /** The name status shows and people search for. */
  String name();

  /** A health signal passed its limit (the decider's breaches). */
  record Breach(Signal signal) implements Reason {

    @Override
    public String name() {
      return signal.name();
    }

    @Override
    public String toString() {
      return name();
    }
  }

  /** A reason known only by its name: an open-ended one (a source's), or one a newer operator wrote. */
  record Other(String name) implements Reason {

    @Override
    public String toString() {
      return name;
    }
  }

  static Reason of(Signal signal) {
    return new Breach(signal);
  }

  /** The reason a stored name stands for; never throws. */
  static Reason parse(String name) {
    if (name == null) {
      return null;
    }
    return Stream.of(Arrays.stream(Signal.values()).map(Reason::of), Arrays.stream(WaitReason.values()),
            Arrays.stream(StopReason.values()), Arrays.stream(ErrorReason.values()))
        .flatMap(s -> s.map(Reason.class::cast)).filter(r -> r.name().equals(name)).findFirst()
        .orElse(new Other(name));
  }
}
