package io.wavegate.health;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Judges the nodes updated so far against the health gates. Pure. A node that was already unready
 * when it got the revision is not counted as unready: its state is not the content's doing.
 * Percent limits are taken of the number of updated nodes and round down.
 */
public final class HealthEvaluator {

  private HealthEvaluator() {}

  public static HealthReport evaluate(List<NodeSignals> updated, HealthLimits limits) {
    int total = updated.size();
    List<Breach> breaches = new ArrayList<>();
    List<String> unready = names(updated, NodeSignals::unready);
    List<String> rebooted = names(updated, NodeSignals::rebooted);
    List<String> failed = names(updated, NodeSignals::contentFailed);
    List<String> crashingNodes = names(updated, n -> n.crashingPods() > 0);
    int crashingPods = updated.stream().mapToInt(NodeSignals::crashingPods).sum();

    check(breaches, Signal.NodesRebooted, rebooted.size(), limits.maxNodeReboots().tolerateOf(total), rebooted);
    check(breaches, Signal.NodesUnready, unready.size(), limits.maxUnreadyNodes().tolerateOf(total), unready);
    check(breaches, Signal.PodsCrashing, crashingPods, limits.maxCrashingPods().tolerateOf(total), crashingNodes);
    check(breaches, Signal.ContentFailures, failed.size(), limits.maxContentFailures().tolerateOf(total), failed);

    TreeSet<String> offending = new TreeSet<>();
    offending.addAll(unready);
    offending.addAll(rebooted);
    offending.addAll(failed);
    offending.addAll(crashingNodes);
    return new HealthReport(unready.size(), rebooted.size(), crashingPods, failed.size(), List.copyOf(breaches),
        List.copyOf(offending));
  }

  private static void check(List<Breach> breaches, Signal signal, int observed, int allowed, List<String> nodes) {
    if (observed > allowed) {
      breaches.add(new Breach(signal, observed, allowed, nodes));
    }
  }

  private static List<String> names(List<NodeSignals> nodes, Predicate<NodeSignals> test) {
    return nodes.stream().filter(test).map(NodeSignals::node).sorted().toList();
  }
}
