package io.wavegate.cache;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.wavegate.contract.NodeContent;

/**
 * The part of a NodeContent the operator reads: name, uid, resource version, spec and status. Its
 * managed fields (one entry per channel writer, operator and agent alike) are most of its bytes
 * and nothing wavegate decides on.
 */
public final class CachedNodeContent {

  private CachedNodeContent() {}

  public static NodeContent of(NodeContent content) {
    NodeContent pruned = new NodeContent();
    pruned.setApiVersion(content.getApiVersion());
    pruned.setKind(content.getKind());
    pruned.setMetadata(new ObjectMetaBuilder().withName(content.getMetadata().getName())
        .withUid(content.getMetadata().getUid()).withResourceVersion(content.getMetadata().getResourceVersion())
        .build());
    pruned.setSpec(content.getSpec());
    pruned.setStatus(content.getStatus());
    return pruned;
  }
}
