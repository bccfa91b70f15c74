package io.mailtls.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardTest {

  @Test
  void theHashIsFnv1aOfNamespaceSlashName() {
    // FNV-1a 32 reference values: "" and "a" from the published test vectors.
    assertThat(Shard.fnv1a("")).isEqualTo(0x811c9dc5);
    assertThat(Shard.fnv1a("a")).isEqualTo(0xe40c292c);
    assertThat(Shard.shardOf("mail", "edge", 3))
        .isEqualTo(Math.floorMod(Shard.fnv1a("mail/edge"), 3));
  }

  @Test
  void everyPolicyHasExactlyOneOwnerAndTheSharesAreEven() {
    int[] counts = new int[3];
    for (int i = 0; i < 3000; i++) {
      String name = "policy-" + i;
      int owners = 0;
      for (int shard = 0; shard < 3; shard++) {
        if (new Shard(shard, 3).owns("mail", name)) {
          owners++;
          counts[shard]++;
        }
      }
      assertThat(owners).as(name).isEqualTo(1);
    }
    assertThat(IntStream.of(counts).min().orElseThrow()).isGreaterThan(900);
    assertThat(Shard.ALL.owns("mail", "anything")).isTrue();
  }

  @Test
  void eachShardHasALeaseOfItsOwn() {
    assertThat(Shard.ALL.leaseName("mailtls-operator")).isEqualTo("mailtls-operator");
    assertThat(new Shard(2, 3).leaseName("mailtls-operator"))
        .isEqualTo("mailtls-operator-shard-2-of-3");
  }
}
