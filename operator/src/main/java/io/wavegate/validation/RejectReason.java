package io.wavegate.validation;

/** Why the content gate refused a revision; used as the reason of the Validated condition and the Event. */
public enum RejectReason {
  DigestMismatch,
  TooSmall,
  TooLarge,
  ZeroFilled,
  BadSignature,
  /** Signed with a key the cluster admin does not trust (or none is configured). */
  UntrustedKey,
  /** No signature while the operator requires one. */
  Unsigned,
  ParseError,
  SchemaViolation,
  ValidatorJobFailed,
  SourceNotAllowed,
  /** The source cannot give the content as named: an artifact without the layer, a malformed manifest or pull Secret. */
  SourceUnusable,
  /** A validator Job template asks for more than a confined pod (the message names the field). */
  UnsafeValidatorJob,
  /** A check that cannot run as configured (a schema over Raw content); refused rather than skipped. */
  CheckNotRunnable
}
