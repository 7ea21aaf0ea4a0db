package io.wavegate.api;

/** What a health breach does: Automatic reverts touched nodes; Manual halts and waits for a person. */
public enum RollbackPolicy {
  Automatic,
  Manual
}
