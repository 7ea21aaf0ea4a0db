package io.wavegate.validation;

/** A source, schema or key that exists in an allowed namespace but cannot be read (forbidden, API server error). */
public final class SourceReadException extends RuntimeException {

  private final String reason;

  public SourceReadException(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
