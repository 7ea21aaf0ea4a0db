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
  RolledBack
}
