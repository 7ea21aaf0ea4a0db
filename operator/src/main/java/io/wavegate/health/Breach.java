package io.wavegate.health;

import java.util.List;

/** A limit that was passed: which signal, how many against how many allowed, and on which nodes. */
public record Breach(Signal signal, int observed, int allowed, List<String> nodes, String detail) {

  public Breach(Signal signal, int observed, int allowed, List<String> nodes) {
    this(signal, observed, allowed, nodes, null);
  }

  static final int LISTED_NODES = 10;

  /** The first ten node names, and how many more. */
  public static String listed(List<String> nodes) {
    return String.join(", ", nodes.subList(0, Math.min(LISTED_NODES, nodes.size())))
        + (nodes.size() > LISTED_NODES ? " and " + (nodes.size() - LISTED_NODES) + " more" : "");
  }

  public String message() {
    if (detail != null) {
      return detail;
    }
    String listed = listed(nodes);
    if (signal == Signal.Aborted) {
      return "rollout aborted by the wavegate.io/abort annotation";
    }
    if (signal == Signal.ProgressDeadlineExceeded) {
      return observed + " " + signal.description() + " (" + signal.limitName() + "): " + listed;
    }
    return observed + " " + signal.description() + ", " + signal.limitName() + " allows " + allowed + ": " + listed;
  }
}
