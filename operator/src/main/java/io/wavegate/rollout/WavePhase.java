package io.wavegate.rollout;

public enum WavePhase {
  Pending,
  Progressing,
  Baking,
  Completed,
  RolledBack
}
