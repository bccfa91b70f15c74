package io.mailtls.probe;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Bounds the connections open to one address at once: mail servers rate-limit scanners. */
final class HostConnectionLimiter {
  private final int permitsPerHost;
  private final ConcurrentHashMap<InetAddress, Semaphore> hosts = new ConcurrentHashMap<>();

  HostConnectionLimiter(int permitsPerHost) {
    this.permitsPerHost = permitsPerHost;
  }

  /**
   * Runs {@code work} holding a connection slot for {@code host}; if no slot frees up before the
   * deadline, returns {@code whenNoSlot} instead.
   */
  <T> T withSlot(InetAddress host, Instant deadline, Supplier<T> work, Supplier<T> whenNoSlot) {
    Semaphore slots = hosts.computeIfAbsent(host, h -> new Semaphore(permitsPerHost, true));
    boolean acquired = false;
    try {
      long waitMillis = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
      acquired = slots.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
      return acquired ? work.get() : whenNoSlot.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return whenNoSlot.get();
    } finally {
      if (acquired) {
        slots.release();
      }
    }
  }
}
