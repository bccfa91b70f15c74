package io.mailtls.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.stream.Stream;

/**
 * The informer's cache of one shard: a policy of another shard is never kept, so a replica's memory
 * grows with its share of the policies, not with all of them. (The informer still receives every
 * policy from the API server: the split is by hash, which no label selector can express.)
 */
final class ShardItemStore<R extends HasMetadata> implements ItemStore<R> {
  private final Shard shard;
  private final BasicItemStore<R> owned = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

  ShardItemStore(Shard shard) {
    this.shard = shard;
  }

  @Override
  public String getKey(R resource) {
    return owned.getKey(resource);
  }

  @Override
  public R put(String key, R resource) {
    return owns(resource) ? owned.put(key, resource) : null;
  }

  @Override
  public R remove(String key) {
    return owned.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return owned.keySet();
  }

  @Override
  public Stream<R> values() {
    return owned.values();
  }

  @Override
  public int size() {
    return owned.size();
  }

  @Override
  public R get(String key) {
    return owned.get(key);
  }

  boolean owns(R resource) {
    return shard.owns(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }
}
