package io.mailtls.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The probes in flight and their deadlines, so that liveness can tell a busy engine from a stuck
 * one: a probe still running well past its deadline means a worker stopped making progress (every
 * network operation is bounded by the deadline, so only a bug gets there).
 */
public final class ProbeProgress {
  /** How far past its deadline a probe may run before the engine counts as stuck. */
  public static final Duration STALL_GRACE = Duration.ofMinutes(1);

  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Instant> deadlines = new ConcurrentHashMap<>();

  long started(Instant deadline) {
    long id = ids.incrementAndGet();
    deadlines.put(id, deadline);
    return id;
  }

  void finished(long id) {
    deadlines.remove(id);
  }

  /** True when no probe in flight is more than {@link #STALL_GRACE} past its deadline. */
  public boolean isMakingProgress(Instant now) {
    Instant limit = now.minus(STALL_GRACE);
    return deadlines.values().stream().noneMatch(deadline -> deadline.isBefore(limit));
  }

  int inFlight() {
    return deadlines.size();
  }
}
