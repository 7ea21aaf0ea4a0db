package io.wavegate.rollout;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.wavegate.api.ContentRollout;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.NodeContents;
import io.wavegate.delivery.NodeKeys;
import io.wavegate.plan.LabelSelectors;
import java.util.Map;

/**
 * Which rollouts a Node or Pod change concerns, so that it wakes only those: with 50 rollouts on
 * 5,000 nodes, waking all of them on every node change multiplied the planning work by 50.
 *
 * <p>A node concerns a rollout when its NodeContent (or, before the upgrade moved them, contract v1
 * keys on the Node) names the rollout's channel, or when it matches the rollout's nodeSelector. A node that stops matching before it was ever assigned wakes no one;
 * its rollout sees it gone at its next reconcile, which is all that node can change.
 */
public final class ConcernedRollouts {

  private ConcernedRollouts() {}

  /** A Node concerns a rollout it is (or was) assigned by, in its NodeContent or in contract v1 keys, or whose fleet it is in. */
  public static boolean concerns(Node node, NodeContent content, ContentRollout rollout) {
    String channel = rollout.channel();
    if (NodeContents.channels(content).contains(channel)) {
      return true;
    }
    Map<String, String> labels = LabelSelectors.labelsOf(node);
    Map<String, String> annotations = node.getMetadata().getAnnotations() == null
        ? Map.of() : node.getMetadata().getAnnotations();
    if (labels.containsKey(NodeKeys.desired(channel)) || annotations.containsKey(NodeKeys.desired(channel))
        || labels.containsKey(NodeKeys.reported(channel)) || annotations.containsKey(NodeKeys.reported(channel))) {
      return true;
    }
    return rollout.getSpec() != null && LabelSelectors.matches(rollout.getSpec().getNodeSelector(), labels);
  }

  /** A NodeContent concerns the rollouts of the channels it names (an assignment, or an agent's report). */
  public static boolean concerns(NodeContent content, ContentRollout rollout) {
    return NodeContents.channels(content).contains(rollout.channel());
  }

  /** A pod concerns the rollouts whose crashingPodSelector matches it. */
  public static boolean concerns(Pod pod, ContentRollout rollout) {
    if (rollout.getSpec() == null || rollout.getSpec().getStrategy() == null) {
      return false;
    }
    LabelSelector selector = WaveDefs.crashingPodSelector(rollout.getSpec().getStrategy());
    return selector != null && LabelSelectors.matches(selector, LabelSelectors.labelsOf(pod));
  }
}
