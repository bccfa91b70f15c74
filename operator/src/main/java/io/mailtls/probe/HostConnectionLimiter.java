package io.mailtls.probe;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Bounds the connections the engine holds open: at most {@code permitsPerHost} to one address, and
 * at most {@code permitsInTotal} overall, because mail servers rate-limit scanners and a cluster
 * operator should be a polite neighbour. A host's entry is dropped when nobody holds or waits for
 * it, so the map stays as small as the set of hosts being probed right now.
 *
 * <p>A connection first waits for one of the total: other policies' slow servers may hold them all,
 * and that is never the waiting endpoint's fault. It waits its turn (first come, first served) up
 * to {@link #TOTAL_WAIT_LIMIT}, holding nothing meanwhile. Then it waits for a slot of its host,
 * bounded by the endpoint's deadline: only connections to that same host, already under way, hold
 * those. Its own deadline starts when it holds both.
 */
final class HostConnectionLimiter {
  /**
   * How long a connection waits for a slot of the total before it gives up, saying so. Slots free
   * up as other probes end, each by its own deadline, so only a fleet far beyond the limits waits
   * this long.
   */
  static final Duration TOTAL_WAIT_LIMIT = Duration.ofMinutes(10);

  /** Why no connection was made: which limit stayed full. */
  enum Busy {
    HOST,
    TOTAL
  }

  private final int permitsPerHost;
  private final int permitsInTotal;
  private final Duration totalWaitLimit;
  private final Semaphore total;
  private final ConcurrentHashMap<InetAddress, Host> hosts = new ConcurrentHashMap<>();

  /** Hosts that refused parallel connections, and until when they get one at a time. */
  private final ConcurrentHashMap<InetAddress, Instant> serialUntil = new ConcurrentHashMap<>();

  /** How long a host that refused parallel connections gets one at a time: about a round. */
  static final Duration SERIAL_FOR = Duration.ofMinutes(15);

  /** Hosts remembered as serial at most; beyond, new ones are not remembered (still retried). */
  static final int MAX_SERIAL_HOSTS = 10_000;

  /** A host's slots and how many callers hold or wait for them. */
  private static final class Host {
    final Semaphore slots;
    int users;

    Host(int permits) {
      this.slots = new Semaphore(permits, true);
    }
  }

  HostConnectionLimiter(int permitsPerHost, int permitsInTotal) {
    this(permitsPerHost, permitsInTotal, TOTAL_WAIT_LIMIT);
  }

  HostConnectionLimiter(int permitsPerHost, int permitsInTotal, Duration totalWaitLimit) {
    this.permitsPerHost = permitsPerHost;
    this.permitsInTotal = permitsInTotal;
    this.totalWaitLimit = totalWaitLimit;
    this.total = new Semaphore(permitsInTotal, true);
  }

  int permitsPerHost() {
    return permitsPerHost;
  }

  int permitsInTotal() {
    return permitsInTotal;
  }

  /** How many hosts have an entry now (for tests: entries must not pile up). */
  int trackedHosts() {
    return hosts.size();
  }

  /**
   * Runs {@code work} holding a connection slot for {@code host} and one of the total. If the host
   * has no free slot before {@code hostDeadline}, or the total none within the total wait limit,
   * returns what {@code whenBusy} makes of the limit that stayed full.
   */
  <T> T withSlot(
      InetAddress host, Instant hostDeadline, Supplier<T> work, Function<Busy, T> whenBusy) {
    return withSlot(host, hostDeadline, work, whenBusy, limit -> {});
  }

  /**
   * As {@link #withSlot(InetAddress, Instant, Supplier, Function)}, telling {@code waiting} which
   * limit the connection waits for from now on, and null when it waits no longer.
   */
  <T> T withSlot(
      InetAddress host,
      Instant hostDeadline,
      Supplier<T> work,
      Function<Busy, T> whenBusy,
      Consumer<Busy> waiting) {
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
    // A host that refused parallel connections: all of its slots, so one connection at a time.
    int permits = isSerial(host) ? permitsPerHost : 1;
    try {
      // The total first: waiting for it holds nothing, so it never keeps the other connections
      // to this host waiting past their deadlines.
      try {
        waiting.accept(Busy.TOTAL);
        totalSlot = total.tryAcquire(totalWaitLimit.toMillis(), TimeUnit.MILLISECONDS);
        if (totalSlot) {
          waiting.accept(Busy.HOST);
          hostSlot =
              entry.slots.tryAcquire(permits, millisUntil(hostDeadline), TimeUnit.MILLISECONDS);
        }
      } finally {
        waiting.accept(null);
      }
      if (!totalSlot) {
        return whenBusy.apply(Busy.TOTAL);
      }
      return hostSlot ? work.get() : whenBusy.apply(Busy.HOST);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a connection slot", e);
    } finally {
      if (totalSlot) {
        total.release();
      }
      if (hostSlot) {
        entry.slots.release(permits);
      }
      hosts.computeIfPresent(host, (h, e) -> --e.users == 0 ? null : e);
    }
  }

  /** From now on, and for {@link #SERIAL_FOR}, {@code host} gets one connection at a time. */
  void preferSerial(InetAddress host) {
    Instant now = Instant.now();
    serialUntil.values().removeIf(until -> until.isBefore(now));
    if (serialUntil.size() < MAX_SERIAL_HOSTS) {
      serialUntil.put(host, now.plus(SERIAL_FOR));
    }
  }

  boolean isSerial(InetAddress host) {
    Instant until = serialUntil.get(host);
    return until != null && until.isAfter(Instant.now());
  }

  private static long millisUntil(Instant deadline) {
    return Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
  }
}
