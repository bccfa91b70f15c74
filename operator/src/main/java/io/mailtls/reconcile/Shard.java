package io.mailtls.reconcile;

import java.nio.charset.StandardCharsets;

/**
 * Which policies a replica owns when the work is split across replicas, as kube-state-metrics
 * splits its objects: policy {@code namespace/name} belongs to shard {@code hash mod total}, with a
 * hash that never changes between versions or machines (32-bit FNV-1a of the UTF-8 bytes). Every
 * replica of a shard agrees, so each policy has exactly one owner.
 *
 * @param index this replica's shard, 0 to total - 1
 * @param total how many shards the policies are split into; 1 means no split
 */
public record Shard(int index, int total) {
  public static final Shard ALL = new Shard(0, 1);

  public Shard {
    if (total < 1) {
      throw new IllegalArgumentException("--total-shards must be at least 1, not " + total);
    }
    if (index < 0 || index >= total) {
      throw new IllegalArgumentException(
          "--shard "
              + index
              + " is not between 0 and "
              + (total - 1)
              + " (--total-shards "
              + total
              + ")");
    }
  }

  public boolean owns(String namespace, String name) {
    return total == 1 || shardOf(namespace, name, total) == index;
  }

  /** The shard that owns {@code namespace/name} among {@code total}. */
  static int shardOf(String namespace, String name, int total) {
    return Math.floorMod(fnv1a(namespace + "/" + name), total);
  }

  static int fnv1a(String text) {
    int hash = 0x811c9dc5;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    return hash;
  }

  /**
   * The Lease of this shard's replicas: one leader per shard, the others its standbys. It names the
   * total too: while a rollout changes --total-shards, old and new replicas hold different Leases
   * and split the policies their own way, so none is left without an owner.
   */
  String leaseName(String base) {
    return total == 1 ? base : base + "-shard-" + index + "-of-" + total;
  }
}
