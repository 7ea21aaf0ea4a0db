package io.wavegate.rollout;

import java.util.Arrays;

public enum WavePhase {
  Pending,
  Progressing,
  Baking,
  Completed,
  RolledBack;

  /**
   * The phase a stored name stands for; a name this operator does not know (a newer one wrote it) reads
   * as Pending: the wave is looked at again from its start, and nodes already holding the revision are
   * not written again.
   */
  public static WavePhase parse(String name) {
    return Arrays.stream(values()).filter(p -> p.name().equals(name)).findFirst().orElse(Pending);
  }
}
