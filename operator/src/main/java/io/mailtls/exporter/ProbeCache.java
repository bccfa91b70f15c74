package io.mailtls.exporter;

import io.mailtls.api.MailEndpointPolicyStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The last probe of each target with each module, so that no scraper can make the exporter probe a
 * target (with a module) more often than once per minimum interval, counted from the start of one
 * probe to the start of the next: a request within the interval gets that probe's result, and one
 * that comes while it runs waits for it. At most {@link #MAX_ENTRIES} are kept; an entry leaves as
 * soon as its interval is over.
 */
final class ProbeCache {
  /** Targets (with a module) probed within one interval at most; more are told to wait. */
  static final int MAX_ENTRIES = 10_000;

  /**
   * What a probe found, and when it started and how long it took; {@code cutShort} when its own
   * budget ({@code budget}) ended it before every entry was probed.
   */
  record Probed(
      MailEndpointPolicyStatus status,
      Instant startedAt,
      Duration took,
      Duration budget,
      boolean cutShort) {}

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

  /**
   * @param retried whether this probe already replaced one cut short within the same interval
   */
  private record Entry(CompletableFuture<Probed> probe, Instant startedAt, boolean retried) {}

  private final Duration minInterval;
  private final Clock clock;

  /** In the order the probes started: the oldest, which expire first, at the head. */
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();

  ProbeCache(Duration minInterval, Clock clock) {
    this.minInterval = minInterval;
    this.clock = clock;
  }

  Duration minInterval() {
    return minInterval;
  }

  /**
   * The turn of a request for {@code key} with {@code budget}. A new probe needs a permit from
   * {@code mayStart} (the in-flight limit), asked for only then: a cached answer or a wait takes
   * none. A probe its own short budget cut short says nothing of the server: a request with a
   * longer budget probes again instead of getting it, once per interval (so no run of ever longer
   * budgets makes it probe more), and a scraper with a tiny timeout cannot make the target look
   * unreachable to the others.
   */
  synchronized Turn claim(Key key, Duration budget, BooleanSupplier mayStart) {
    Instant now = clock.instant();
    dropExpired(now);
    Entry entry = entries.get(key);
    if (entry != null && !entry.probe().isDone()) {
      return new Turn.Wait(entry.probe());
    }
    boolean retry = entry != null && !expired(entry, now);
    if (retry && (entry.retried() || !cutForLonger(entry, budget))) {
      return new Turn.Wait(entry.probe());
    }
    if (entry == null && entries.size() >= MAX_ENTRIES) {
      return new Turn.Full();
    }
    if (!mayStart.getAsBoolean()) {
      return new Turn.Busy();
    }
    CompletableFuture<Probed> probe = new CompletableFuture<>();
    if (retry) {
      // Within the interval it started: it ends when that one would have.
      entries.put(key, new Entry(probe, entry.startedAt(), true));
    } else {
      entries.remove(key); // put anew, at the tail: the newest probe
      entries.put(key, new Entry(probe, now, false));
    }
    return new Turn.Probe(probe);
  }

  private static boolean cutForLonger(Entry entry, Duration budget) {
    if (entry.probe().isCompletedExceptionally()) {
      return true; // about to be forgotten
    }
    Probed probed = entry.probe().getNow(null);
    return probed.cutShort() && budget.compareTo(probed.budget()) > 0;
  }

  /** Entries whose interval is over leave from the head, where the oldest probes are. */
  private void dropExpired(Instant now) {
    Iterator<Entry> oldest = entries.values().iterator();
    while (oldest.hasNext()) {
      Entry entry = oldest.next();
      if (!entry.probe().isDone() || !expired(entry, now)) {
        return;
      }
      oldest.remove();
    }
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
