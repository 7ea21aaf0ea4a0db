package io.wavegate.rollout;

/** Why a reconcile failed (status.error): what the API server or the node writes answered. */
public enum ErrorReason implements Reason {
  NodeWritesFailed,
  Forbidden,
  NotFound,
  Conflict,
  Invalid,
  TooManyRequests,
  ApiServerUnreachable,
  ApiServerError,
  ApiError,
  ReconcileError
}
