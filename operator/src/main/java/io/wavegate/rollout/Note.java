package io.wavegate.rollout;

import java.util.List;

/** A reason with a message and the nodes concerned: why a rollout stopped, waits, or errs. */
public record Note(Reason reason, String message, List<String> nodes) {

  static final int LISTED_NODES = 10;

  public Note {
    nodes = nodes == null ? List.of() : List.copyOf(nodes.subList(0, Math.min(LISTED_NODES, nodes.size())));
  }

  static Note of(Reason reason, String message) {
    return new Note(reason, message, List.of());
  }
}
