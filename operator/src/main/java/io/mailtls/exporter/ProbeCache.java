package io.mailtls.exporter;

import io.mailtls.api.MailEndpointPolicyStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The last probe of each target with each module, so that no scraper can make the exporter probe a
 * target (with a module) more often than once per minimum interval, counted from the start of one
 * probe to the start of the next: a request within the interval gets that probe's result, and one
 * that comes while it runs waits for it. At most {@link #MAX_ENTRIES} are kept; an entry older than
 * the interval is dropped when room is needed.
 */
final class ProbeCache {
  /** Targets (with a module) probed within one interval at most; more are told to wait. */
  static final int MAX_ENTRIES = 10_000;

  /** What a probe found, and when it started and how long it took. */
  record Probed(MailEndpointPolicyStatus status, Instant startedAt, Duration took) {}

  /** A target with a module: the module's settings too, so a reload that changes them misses. */
  record Key(ProbeModule module, String target) {}

  /** What a request does. */
  sealed interface Turn {
    /** Probe, and complete {@code probe} with the result (or exceptionally) for the others. */
    record Probe(CompletableFuture<Probed> probe) implements Turn {}

    /** Wait for {@code probe}, already done when cached: another request runs it. */
    record Wait(CompletableFuture<Probed> probe) implements Turn {}

    /** No probe may start: the in-flight limit is reached. */
    record Busy() implements Turn {}

    /** No probe may start: {@link #MAX_ENTRIES} targets were probed within the interval. */
    record Full() implements Turn {}
  }

  private record Entry(CompletableFuture<Probed> probe, Instant startedAt) {}

  private final Duration minInterval;
  private final Clock clock;
  private final Map<Key, Entry> entries = new HashMap<>();

  ProbeCache(Duration minInterval, Clock clock) {
    this.minInterval = minInterval;
    this.clock = clock;
  }

  Duration minInterval() {
    return minInterval;
  }

  /**
   * The turn of a request for {@code key}. A new probe needs a permit from {@code mayStart} (the
   * in-flight limit), asked for only then: a cached answer or a wait takes none.
   */
  synchronized Turn claim(Key key, BooleanSupplier mayStart) {
    Instant now = clock.instant();
    Entry entry = entries.get(key);
    if (entry != null && (!entry.probe().isDone() || !expired(entry, now))) {
      return new Turn.Wait(entry.probe());
    }
    if (entry == null && entries.size() >= MAX_ENTRIES) {
      entries.values().removeIf(e -> e.probe().isDone() && expired(e, now));
      if (entries.size() >= MAX_ENTRIES) {
        return new Turn.Full();
      }
    }
    if (!mayStart.getAsBoolean()) {
      return new Turn.Busy();
    }
    CompletableFuture<Probed> probe = new CompletableFuture<>();
    entries.put(key, new Entry(probe, now));
    return new Turn.Probe(probe);
  }

  /** A probe that failed without a result (a bug): the next request probes again. */
  synchronized void forget(Key key, CompletableFuture<Probed> probe) {
    entries.computeIfPresent(key, (k, e) -> e.probe() == probe ? null : e);
  }

  synchronized int size() {
    return entries.size();
  }

  private boolean expired(Entry entry, Instant now) {
    return !now.isBefore(entry.startedAt().plus(minInterval));
  }
}
