package io.wavegate.rollout;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.wavegate.delivery.NodeWriteException;
import io.wavegate.validation.SourceReadException;
import java.util.List;

/** Names a failed reconcile for status: a reason a person can search for and a message that says what to do. Pure. */
public final class ReconcileErrors {

  private static final int MAX_MESSAGE = 1000;

  private ReconcileErrors() {}

  public static Note describe(Exception error) {
    NodeWriteException writes = cause(error, NodeWriteException.class);
    if (writes != null) {
      return new Note(ErrorReason.NodeWritesFailed, trim(writes.getMessage()), writes.nodes());
    }
    SourceReadException source = cause(error, SourceReadException.class);
    if (source != null) {
      return Note.of(Reason.parse(source.reason()), trim(source.getMessage()));
    }
    KubernetesClientException api = cause(error, KubernetesClientException.class);
    if (api != null) {
      ErrorReason reason = switch (api.getCode()) {
        case 401, 403 -> ErrorReason.Forbidden;
        case 404 -> ErrorReason.NotFound;
        case 409 -> ErrorReason.Conflict;
        case 422 -> ErrorReason.Invalid;
        case 429 -> ErrorReason.TooManyRequests;
        case 0 -> ErrorReason.ApiServerUnreachable;
        default -> api.getCode() >= 500 ? ErrorReason.ApiServerError : ErrorReason.ApiError;
      };
      return Note.of(reason, trim("the API server answered " + (api.getCode() == 0 ? "nothing" : api.getCode())
          + ": " + firstNonBlank(api.getStatus() == null ? null : api.getStatus().getMessage(), api.getMessage())));
    }
    return Note.of(ErrorReason.ReconcileError, trim(error.getClass().getSimpleName() + ": " + error.getMessage()));
  }

  private static <T extends Throwable> T cause(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String firstNonBlank(String... texts) {
    return List.of(texts).stream().filter(t -> t != null && !t.isBlank()).findFirst().orElse("");
  }

  private static String trim(String message) {
    return message == null ? "" : message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
  }
}
