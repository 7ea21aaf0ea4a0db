package io.wavegate.validation;

/** Why the content gate refused a revision; used as the reason of the Validated condition and the Event. */
public enum RejectReason {
  DigestMismatch,
  TooSmall,
  TooLarge,
  ZeroFilled,
  BadSignature,
  ParseError,
  SchemaViolation,
  ValidatorJobFailed,
  SourceNotAllowed,
  /** A check that cannot run as configured (a schema over Raw content); refused rather than skipped. */
  CheckNotRunnable
}
