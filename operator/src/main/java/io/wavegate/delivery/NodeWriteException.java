package io.wavegate.delivery;

import java.util.List;

/** Node writes that failed in a reconcile; thrown after the rest was applied, so that the framework retries with back-off. */
public final class NodeWriteException extends RuntimeException {

  private final List<String> nodes;

  public NodeWriteException(List<NodeWriter.Failure> failures) {
    super(failures.size() + " node write(s) failed, retried with back-off: "
        + String.join("; ", failures.stream().limit(3).map(f -> f.node() + ": " + f.message()).toList()));
    this.nodes = failures.stream().map(NodeWriter.Failure::node).toList();
  }

  public List<String> nodes() {
    return nodes;
  }
}
