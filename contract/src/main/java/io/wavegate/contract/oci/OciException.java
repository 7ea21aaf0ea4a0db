package io.wavegate.contract.oci;

import java.io.IOException;

/**
 * A pull that did not deliver what was asked. {@link #sourceFault()} tells a registry that is down,
 * slow or refusing (a fault of the source: waited for, retried, never blamed on the content) from
 * bytes that are not what the digest names (a fault of the content).
 *
 * @param status the HTTP status the registry answered, 0 when it did not answer
 */
public final class OciException extends IOException {

  public enum Kind { UNREACHABLE, REFUSED, NOT_FOUND, DIGEST_MISMATCH, MALFORMED, TOO_LARGE }

  private final Kind kind;
  private final int status;

  public OciException(Kind kind, int status, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.status = status;
  }

  public OciException(Kind kind, int status, String message) {
    this(kind, status, message, null);
  }

  public Kind kind() {
    return kind;
  }

  public int status() {
    return status;
  }

  /** The registry failed us (down, slow, refusing credentials, missing): not the content's fault. */
  public boolean sourceFault() {
    return kind == Kind.UNREACHABLE || kind == Kind.REFUSED || kind == Kind.NOT_FOUND;
  }
}
