package io.mailtls.probe;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bounds the connections the engine holds open: at most {@code permitsPerHost} to one address, and
 * at most {@code permitsInTotal} overall, because mail servers rate-limit scanners and a cluster
 * operator should be a polite neighbour. A host's entry is dropped when nobody holds or waits for
 * it, so the map stays as small as the set of hosts being probed right now.
 */
final class HostConnectionLimiter {
  private final int permitsPerHost;
  private final Semaphore total;
  private final ConcurrentHashMap<InetAddress, Host> hosts = new ConcurrentHashMap<>();

  /** A host's slots and how many callers hold or wait for them. */
  private static final class Host {
    final Semaphore slots;
    int users;

    Host(int permits) {
      this.slots = new Semaphore(permits, true);
    }
  }

  HostConnectionLimiter(int permitsPerHost, int permitsInTotal) {
    this.permitsPerHost = permitsPerHost;
    this.total = new Semaphore(permitsInTotal, true);
  }

  /** How many hosts have an entry now (for tests: entries must not pile up). */
  int trackedHosts() {
    return hosts.size();
  }

  /**
   * Runs {@code work} holding a connection slot for {@code host} and one of the total; if no slot
   * frees up before the deadline, returns {@code whenNoSlot} instead.
   */
  <T> T withSlot(InetAddress host, Instant deadline, Supplier<T> work, Supplier<T> whenNoSlot) {
    Host entry =
        hosts.compute(
            host,
            (h, e) -> {
              Host used = e == null ? new Host(permitsPerHost) : e;
              used.users++;
              return used;
            });
    boolean hostSlot = false;
    boolean totalSlot = false;
    try {
      hostSlot = entry.slots.tryAcquire(millisUntil(deadline), TimeUnit.MILLISECONDS);
      totalSlot = hostSlot && total.tryAcquire(millisUntil(deadline), TimeUnit.MILLISECONDS);
      return totalSlot ? work.get() : whenNoSlot.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return whenNoSlot.get();
    } finally {
      if (totalSlot) {
        total.release();
      }
      if (hostSlot) {
        entry.slots.release();
      }
      hosts.computeIfPresent(host, (h, e) -> --e.users == 0 ? null : e);
    }
  }

  private static long millisUntil(Instant deadline) {
    return Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
  }
}
