package io.mailtls.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Liveness tells a busy engine from a stuck one. */
class ProbeProgressTest {
  private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  @Test
  void aProbeFarPastItsDeadlineMeansNoProgressUntilItEnds() {
    ProbeProgress progress = new ProbeProgress();
    long id = progress.started(T0.plusSeconds(50));
    progress.started(T0.plusSeconds(3_600)); // a long one, still within its deadline

    assertThat(progress.isMakingProgress(T0.plusSeconds(50))).isTrue();
    assertThat(progress.isMakingProgress(T0.plusSeconds(110))).isTrue(); // within the grace
    assertThat(progress.isMakingProgress(T0.plusSeconds(111))).isFalse();

    progress.finished(id);
    assertThat(progress.isMakingProgress(T0.plusSeconds(111))).isTrue();
    assertThat(progress.inFlight()).isEqualTo(1);
  }

  @Test
  void theEngineRegistersEveryProbeAndForgetsItWhenItEnds() throws Exception {
    EndpointProber prober =
        new EndpointProber(ProbeSettings.defaults().withTimeout(java.time.Duration.ofSeconds(1)));
    prober.probe(Endpoint.parse("smtp://127.0.0.1:1"), null).only(); // refused at once

    assertThat(prober.progress().inFlight()).isZero();
  }
}
