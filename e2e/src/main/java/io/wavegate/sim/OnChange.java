package io.wavegate.sim;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/** An informer handler that hands each object, as added or as it is now after an update, to one consumer; deletions are ignored. */
public final class OnChange {

  private OnChange() {}

  public static <T> ResourceEventHandler<T> observe(Consumer<T> observer) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        observer.accept(object);
      }

      @Override
      public void onUpdate(T oldObject, T newObject) {
        observer.accept(newObject);
      }

      @Override
      public void onDelete(T object, boolean unknown) {}
    };
  }
}
