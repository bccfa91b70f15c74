package io.mailtls.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.api.StatusSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** At most one probe per target and module per minimum interval, counted from start to start. */
class ProbeCacheTest {
  private final TestingClock clock = new TestingClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final ProbeCache cache = new ProbeCache(Duration.ofMinutes(1), clock);
  private final AtomicInteger permits = new AtomicInteger();
  private static final ProbeCache.Key KEY =
      new ProbeCache.Key(ProbeModule.defaults(), "smtp://mx.example.com:25");

  private boolean permit() {
    permits.incrementAndGet();
    return true;
  }

  private static final Duration BUDGET = Duration.ofSeconds(10);

  private static ProbeCache.Probed probed() {
    return probed(BUDGET, false);
  }

  private static ProbeCache.Probed probed(Duration budget, boolean cutShort) {
    return new ProbeCache.Probed(
        new MailEndpointPolicyStatus(1L, null, new StatusSummary(0, 0, 0, 0), List.of(), null),
        Instant.EPOCH,
        Duration.ofMillis(12),
        budget,
        cutShort);
  }

  /**
   * A probe its own tiny budget cut short says nothing of the server: a request with a longer
   * budget probes again, once per interval; one with the same budget gets the cut answer.
   */
  @Test
  void aProbeCutShortByItsBudgetIsProbedAgainOnceForALongerOne() {
    Duration tiny = Duration.ofMillis(1);
    ProbeCache.Turn.Probe cut = (ProbeCache.Turn.Probe) cache.claim(KEY, tiny, this::permit);
    cut.probe().complete(probed(tiny, true));

    assertThat(cache.claim(KEY, tiny, this::permit))
        .isEqualTo(new ProbeCache.Turn.Wait(cut.probe()));
    ProbeCache.Turn again = cache.claim(KEY, BUDGET, this::permit);
    assertThat(again).isInstanceOf(ProbeCache.Turn.Probe.class);
    ((ProbeCache.Turn.Probe) again).probe().complete(probed(BUDGET, true));
    // Cut short again: no second retry within the interval, however long the next budget.
    assertThat(cache.claim(KEY, Duration.ofSeconds(40), this::permit))
        .isEqualTo(new ProbeCache.Turn.Wait(((ProbeCache.Turn.Probe) again).probe()));
    assertThat(permits).hasValue(2);
    clock.advance(Duration.ofMinutes(1));
    assertThat(cache.claim(KEY, BUDGET, this::permit)).isInstanceOf(ProbeCache.Turn.Probe.class);
  }

  @Test
  void aRequestWithinTheIntervalWaitsForTheProbeOrGetsItsResult() {
    ProbeCache.Turn first = cache.claim(KEY, BUDGET, this::permit);
    assertThat(first).isInstanceOf(ProbeCache.Turn.Probe.class);
    ProbeCache.Turn.Probe probe = (ProbeCache.Turn.Probe) first;

    // While it runs: the same future, not done, and no permit asked for.
    assertThat(cache.claim(KEY, BUDGET, this::permit))
        .isEqualTo(new ProbeCache.Turn.Wait(probe.probe()));
    probe.probe().complete(probed());
    clock.advance(Duration.ofSeconds(59));
    ProbeCache.Turn cached = cache.claim(KEY, BUDGET, this::permit);

    assertThat(cached).isEqualTo(new ProbeCache.Turn.Wait(probe.probe()));
    assertThat(probe.probe().join()).isEqualTo(probed());
    assertThat(permits).hasValue(1);

    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.claim(KEY, BUDGET, this::permit)).isInstanceOf(ProbeCache.Turn.Probe.class);
    assertThat(permits).hasValue(2);
  }

  @Test
  void aProbeStillRunningAfterTheIntervalIsStillWaitedFor() {
    ProbeCache.Turn.Probe probe = (ProbeCache.Turn.Probe) cache.claim(KEY, BUDGET, this::permit);
    clock.advance(Duration.ofMinutes(5));

    assertThat(cache.claim(KEY, BUDGET, this::permit))
        .isEqualTo(new ProbeCache.Turn.Wait(probe.probe()));
  }

  @Test
  void anotherModuleOrTargetIsAnotherEntry() {
    cache.claim(KEY, BUDGET, this::permit);
    ProbeCache.Key strict =
        new ProbeCache.Key(
            new ProbeModule(
                "default",
                new io.mailtls.compliance.CompliancePolicy(io.mailtls.tls.TlsVersion.TLS_1_3, true),
                Duration.ofSeconds(10),
                null,
                null,
                null),
            KEY.target());

    assertThat(cache.claim(strict, BUDGET, this::permit)).isInstanceOf(ProbeCache.Turn.Probe.class);
    assertThat(
            cache.claim(
                new ProbeCache.Key(KEY.module(), "smtp://mx2.example.com:25"),
                BUDGET,
                this::permit))
        .isInstanceOf(ProbeCache.Turn.Probe.class);
    assertThat(cache.size()).isEqualTo(3);
  }

  @Test
  void withoutAPermitNothingIsClaimed() {
    assertThat(cache.claim(KEY, BUDGET, () -> false)).isEqualTo(new ProbeCache.Turn.Busy());
    assertThat(cache.size()).isZero();
    assertThat(cache.claim(KEY, BUDGET, this::permit)).isInstanceOf(ProbeCache.Turn.Probe.class);
  }

  @Test
  void aProbeThatFailedIsForgottenSoTheNextRequestProbes() {
    ProbeCache.Turn.Probe probe = (ProbeCache.Turn.Probe) cache.claim(KEY, BUDGET, this::permit);
    probe.probe().completeExceptionally(new IllegalStateException("bug"));
    cache.forget(KEY, probe.probe());

    assertThat(cache.claim(KEY, BUDGET, this::permit)).isInstanceOf(ProbeCache.Turn.Probe.class);
  }

  @Test
  void whenFullOfFreshEntriesANewTargetIsRefusedUntilOnesIntervalIsOver() {
    for (int i = 0; i < ProbeCache.MAX_ENTRIES; i++) {
      ProbeCache.Turn.Probe probe =
          (ProbeCache.Turn.Probe)
              cache.claim(
                  new ProbeCache.Key(KEY.module(), "smtp://mx" + i + ".example.com:25"),
                  BUDGET,
                  () -> true);
      probe.probe().complete(probed());
    }

    assertThat(cache.claim(KEY, BUDGET, this::permit)).isEqualTo(new ProbeCache.Turn.Full());
    clock.advance(Duration.ofMinutes(1));
    assertThat(cache.claim(KEY, BUDGET, this::permit)).isInstanceOf(ProbeCache.Turn.Probe.class);
    assertThat(cache.size()).isEqualTo(1);
  }
}
