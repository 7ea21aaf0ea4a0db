package io.wavegate.rollout;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.wavegate.analysis.MetricMeasurer;
import io.wavegate.analysis.WebhookCaller;
import io.wavegate.api.ContentMetricTemplate;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentUpdatePolicy;
import io.wavegate.cache.CachedNode;
import io.wavegate.cache.CachedNodeContent;
import io.wavegate.cache.CachedPod;
import io.wavegate.cache.PruningStore;
import io.wavegate.contract.ContentRevocation;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.NodeContents;
import io.wavegate.contract.SnapshotFormat;
import io.wavegate.metrics.SignalClock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciler's event sources, as a set of their own (as the Flink operator's EventSourceUtils):
 * informers on NodeContents, Nodes, Pods, validator Jobs, revocations, update policies and metric templates, each routing an event to the
 * rollouts it concerns, and the metric readings; and typed access to their caches.
 */
final class RolloutEventSources {

  private static final Logger LOG = LoggerFactory.getLogger(RolloutEventSources.class);
  static final String NODES = "nodes";
  static final String NODE_CONTENTS = "nodecontents";
  static final String REVOCATIONS = "revocations";
  static final String PODS = "pods";
  static final String POLICIES = "update-policies";
  static final String TEMPLATES = "metric-templates";
  /** The pods informer's index of pods by the node they run on. */
  static final String PODS_BY_NODE = "node";

  private RolloutEventSources() {}

  /**
   * Objects per page of an informer's first list (and of each relist), as client-go's reflector lists.
   * The per-node caches list the whole fleet: in one response, 20,000 Nodes did not fit a 717 MiB heap
   * while being decoded, though their pruned copies take a fraction of it.
   */
  static final long LIST_PAGE = 500;

  /**
   * @param signals stamped with the time of each health signal, for the breach-to-decision figure
   * @param fleets told of every node whose Node, NodeContent or pods changed
   * @param podLabelSelector narrows the pods watched; null: every pod of the cluster
   */
  static List<EventSource<?, ContentRollout>> of(EventSourceContext<ContentRollout> context, SignalClock signals,
      ChannelFleets fleets, String podLabelSelector, String validatorNamespace, MetricMeasurer measurer,
      WebhookCaller webhooks) {
    // a report removed is a change too, and the new object no longer names the channel: route by the node as well
    AtomicReference<InformerEventSource<Node, ContentRollout>> nodesRef = new AtomicReference<>();
    InformerEventSource<NodeContent, ContentRollout> contents = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(NodeContent.class, ContentRollout.class).withName(NODE_CONTENTS)
            .withItemStore(new PruningStore<>(CachedNodeContent::of)).withInformerListLimit(LIST_PAGE)
            // an agent's report is a health signal: time it from here
            .withOnAddFilter(content -> changed(content, signals, fleets))
            .withOnUpdateFilter((content, old) -> changed(content, signals, fleets))
            .withOnDeleteFilter((content, unknown) -> { fleets.changed(content.getMetadata().getName()); return true; })
            .withSecondaryToPrimaryMapper(content -> {
              Node node = nodesRef.get() == null ? null
                  : nodesRef.get().get(new ResourceID(content.getMetadata().getName())).orElse(null);
              return rolloutsConcerned(context, r -> node == null ? ConcernedRollouts.concerns(content, r)
                  : ConcernedRollouts.concerns(node, content, r));
            })
            .build(), context);
    InformerEventSource<Node, ContentRollout> nodes = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Node.class, ContentRollout.class).withName(NODES)
            .withItemStore(new PruningStore<>(CachedNode::of)).withInformerListLimit(LIST_PAGE)
            .withOnAddFilter(node -> changed(node, signals, fleets))
            .withOnUpdateFilter((node, old) -> changed(node, signals, fleets))
            .withOnDeleteFilter((node, unknown) -> {
              signals.forget(node.getMetadata().getName());
              fleets.changed(node.getMetadata().getName());
              return true;
            })
            .withSecondaryToPrimaryMapper(node -> {
              NodeContent content = contents.get(new ResourceID(node.getMetadata().getName())).orElse(null);
              return rolloutsConcerned(context, r -> ConcernedRollouts.concerns(node, content, r));
            })
            .build(), context);
    InformerEventSource<Pod, ContentRollout> pods = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Pod.class, ContentRollout.class).withName(PODS).withWatchAllNamespaces()
            .withLabelSelector(podLabelSelector)
            .withItemStore(new PruningStore<>(CachedPod::of)).withInformerListLimit(LIST_PAGE)
            .withOnAddFilter(pod -> { fleets.changed(nodeOf(pod)); return true; })
            // the old pod comes from the pruned cache: compare only what the cache keeps
            .withOnUpdateFilter((newPod, oldPod) -> {
              Pod now = CachedPod.of(newPod);
              boolean changed = !Objects.equals(now.getStatus(), CachedPod.of(oldPod).getStatus());
              if (changed && nodeOf(now) != null) {
                signals.changed(nodeOf(now));
                fleets.changed(nodeOf(now));
              }
              return changed;
            })
            .withOnDeleteFilter((pod, unknown) -> { fleets.changed(nodeOf(pod)); return true; })
            .withSecondaryToPrimaryMapper(pod -> rolloutsConcerned(context, r -> ConcernedRollouts.concerns(pod, r)))
            .build(), context);
    InformerEventSource<Job, ContentRollout> jobs = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Job.class, ContentRollout.class).withName("validator-jobs")
            .withNamespaces(validatorNamespace).withLabelSelector(SnapshotFormat.CHANNEL_LABEL)
            .withSecondaryToPrimaryMapper(job -> Set.of(new ResourceID(job.getMetadata().getLabels()
                .get(SnapshotFormat.CHANNEL_LABEL)))).build(), context);
    // the channel's revocation, named after it: a change (or a deletion) by anyone else is undone at once
    InformerEventSource<ContentRevocation, ContentRollout> revocations = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(ContentRevocation.class, ContentRollout.class).withName(REVOCATIONS)
            .withSecondaryToPrimaryMapper(r -> Set.of(new ResourceID(r.getMetadata().getName()))).build(), context);
    // a node owner's policy changed: every rollout looks again (its selection of channels may have changed too)
    InformerEventSource<ContentUpdatePolicy, ContentRollout> policies = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(ContentUpdatePolicy.class, ContentRollout.class).withName(POLICIES)
            .withSecondaryToPrimaryMapper(p -> rolloutsConcerned(context, r -> true)).build(), context);
    // a metric template added, edited or deleted: the rollouts whose gates reference it look again
    InformerEventSource<ContentMetricTemplate, ContentRollout> templates = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(ContentMetricTemplate.class, ContentRollout.class).withName(TEMPLATES)
            .withSecondaryToPrimaryMapper(t -> rolloutsConcerned(context, r -> r.getSpec().getStrategy()
                .metricTemplatesReferenced().contains(t.getMetadata().getName()))).build(), context);
    nodesRef.set(nodes);
    pods.addIndexers(Map.of(PODS_BY_NODE, pod -> nodeOf(pod) == null ? List.of() : List.of(nodeOf(pod))));
    // a metric gate's reading is ready: look at its rollout now, not at the next requeue
    SimpleInboundEventSource<ContentRollout> readings = new SimpleInboundEventSource<>("metric-readings");
    measurer.onReading(rollout -> readings.propagateEvent(new ResourceID(rollout)));
    // a wave webhook answered: look at its rollout now
    SimpleInboundEventSource<ContentRollout> answers = new SimpleInboundEventSource<>("webhook-answers");
    webhooks.onAnswer(rollout -> answers.propagateEvent(new ResourceID(rollout)));
    return List.of(contents, nodes, pods, jobs, revocations, policies, templates, readings, answers);
    }

  /** A Node or NodeContent added or changed: a health signal, and a node whose facts are derived again. */
  private static boolean changed(HasMetadata object, SignalClock signals, ChannelFleets fleets) {
    signals.changed(object.getMetadata().getName());
    fleets.changed(object.getMetadata().getName());
    return true;
  }

  private static String nodeOf(Pod pod) {
    return pod.getSpec() == null ? null : pod.getSpec().getNodeName();
  }

  /**
   * The rollouts an event concerns. One rollout whose spec cannot be matched must never blind the
   * others: it is left out here (it is stalled, and looked at again on its own schedule).
   */
  private static Set<ResourceID> rolloutsConcerned(EventSourceContext<ContentRollout> context,
      Predicate<ContentRollout> concerned) {
    return context.getPrimaryCache().list().filter(r -> {
      try {
        return concerned.test(r);
      } catch (RuntimeException e) {
        LOG.warn("{}: cannot tell whether an event concerns it: {}", r.getMetadata().getName(), e.toString());
        return false;
      }
    }).map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  @SuppressWarnings("unchecked")
  static InformerEventSource<NodeContent, ContentRollout> contents(Context<ContentRollout> context) {
    return (InformerEventSource<NodeContent, ContentRollout>) context.eventSourceRetriever()
        .getEventSourceFor(NodeContent.class, NODE_CONTENTS);
  }

  @SuppressWarnings("unchecked")
  static InformerEventSource<Node, ContentRollout> nodes(Context<ContentRollout> context) {
    return (InformerEventSource<Node, ContentRollout>) context.eventSourceRetriever()
        .getEventSourceFor(Node.class, NODES);
  }

  @SuppressWarnings("unchecked")
  static InformerEventSource<Pod, ContentRollout> pods(Context<ContentRollout> context) {
    return (InformerEventSource<Pod, ContentRollout>) context.eventSourceRetriever().getEventSourceFor(Pod.class, PODS);
  }

  @SuppressWarnings("unchecked")
  static InformerEventSource<ContentUpdatePolicy, ContentRollout> policies(Context<ContentRollout> context) {
    return (InformerEventSource<ContentUpdatePolicy, ContentRollout>) context.eventSourceRetriever()
        .getEventSourceFor(ContentUpdatePolicy.class, POLICIES);
  }

  @SuppressWarnings("unchecked")
  static InformerEventSource<ContentMetricTemplate, ContentRollout> templates(Context<ContentRollout> context) {
    return (InformerEventSource<ContentMetricTemplate, ContentRollout>) context.eventSourceRetriever()
        .getEventSourceFor(ContentMetricTemplate.class, TEMPLATES);
  }

  @SuppressWarnings("unchecked")
  static InformerEventSource<ContentRevocation, ContentRollout> revocations(Context<ContentRollout> context) {
    return (InformerEventSource<ContentRevocation, ContentRollout>) context.eventSourceRetriever()
        .getEventSourceFor(ContentRevocation.class, REVOCATIONS);
  }
}
