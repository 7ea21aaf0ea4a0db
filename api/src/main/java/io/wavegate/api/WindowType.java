package io.wavegate.api;

/** An allow window is when nodes may take content; a deny window (a freeze) is when they may not. */
public enum WindowType {
  Allow,
  Deny
}
