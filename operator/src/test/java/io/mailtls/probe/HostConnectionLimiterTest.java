package io.mailtls.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which limit stayed full is said, and the total limit is waited for by its own bound. */
class HostConnectionLimiterTest {
  @Test
  void aFullTotalLimitIsWaitedForUpToItsOwnBoundAndNamed() throws Exception {
    HostConnectionLimiter limiter = new HostConnectionLimiter(5, 1, Duration.ofMillis(300));
    InetAddress a = InetAddress.getByName("192.0.2.1");
    InetAddress b = InetAddress.getByName("192.0.2.2");
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<String> holder =
          pool.submit(
              () ->
                  limiter.withSlot(
                      a,
                      Instant.now().plusSeconds(10),
                      () -> {
                        holding.countDown();
                        awaitQuietly(release);
                        return "done";
                      },
                      Enum::name));
      assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();

      // Its endpoint deadline has already passed: only the host wait is bound by it.
      String waiting = limiter.withSlot(b, Instant.now(), () -> "ran", Enum::name);

      assertThat(waiting).isEqualTo("TOTAL");
      release.countDown();
      assertThat(holder.get(5, TimeUnit.SECONDS)).isEqualTo("done");
      assertThat(limiter.withSlot(b, Instant.now(), () -> "ran", Enum::name)).isEqualTo("ran");
      assertThat(limiter.trackedHosts()).isZero();
    }
  }

  @Test
  void aFullHostIsBoundByTheEndpointsDeadline() throws Exception {
    HostConnectionLimiter limiter = new HostConnectionLimiter(1, 10);
    InetAddress a = InetAddress.getByName("192.0.2.1");
    String inner =
        limiter.withSlot(
            a,
            Instant.now().plusSeconds(5),
            () -> limiter.withSlot(a, Instant.now().plusMillis(200), () -> "ran", Enum::name),
            Enum::name);
    assertThat(inner).isEqualTo("HOST");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
