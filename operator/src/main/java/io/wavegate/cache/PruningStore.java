package io.wavegate.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.function.UnaryOperator;

/** An informer store that keeps only what wavegate reads of each object (DESIGN: prune cached Nodes). */
public final class PruningStore<T extends HasMetadata> extends BasicItemStore<T> {

  private final UnaryOperator<T> prune;

  public PruningStore(UnaryOperator<T> prune) {
    super(Cache::metaNamespaceKeyFunc);
    this.prune = prune;
  }

  @Override
  public T put(String key, T object) {
    return super.put(key, prune.apply(object));
  }
}
