package io.wavegate.api;

/** Where a ContentRollout stands; shown in the PHASE column. */
public enum RolloutPhase {
  /** The content gate is checking the bytes (or waiting for the source or the validator Job). */
  Validating,
  /** The content failed the gate; no node was touched. */
  Rejected,
  /** Waves are being applied and baked. */
  Progressing,
  /** spec.paused is true: no further wave starts until it is false again. */
  Paused,
  /** A breach under rollback: Manual: nodes stay where they are until a person aborts or a new revision comes. */
  Halted,
  /** Every wave completed; the revision is the stable one. */
  Succeeded,
  /** A breach (or an abort) is reverting the touched nodes. */
  RollingBack,
  /** Every touched node is back on the stable revision. */
  RolledBack;

  /** A revision is on its way through the waves (on nodes, or about to be): Progressing, Paused, Halted. */
  public boolean rolling() {
    return this == Progressing || this == Paused || this == Halted;
  }

  /** Not finished: at the gate or rolling. What `kubectl wavegate stop` aborts. */
  public boolean inFlight() {
    return this == Validating || rolling();
  }

  /** Finished, one way or the other: Succeeded, Rejected, RolledBack. What `kubectl wavegate status` waits for. */
  public boolean settled() {
    return this == Succeeded || this == Rejected || this == RolledBack;
  }
}
