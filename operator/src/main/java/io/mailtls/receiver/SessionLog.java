package io.mailtls.receiver;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The sessions the receiver remembers: at most {@link ReceiverLimits#maxRecordsPerAddress()} per
 * client address (newest kept) and {@link ReceiverLimits#maxRecords()} in all (the least recently
 * active address gives up its oldest first), so one noisy client cannot push everyone else's
 * records out. Counters per outcome count every session ever recorded.
 */
public final class SessionLog {
  private final int maxRecords;
  private final int maxPerAddress;
  private final Map<String, Deque<SessionRecord>> byAddress = new LinkedHashMap<>();
  private final Map<SessionOutcome, LongAdder> counts = new EnumMap<>(SessionOutcome.class);
  private final List<Consumer<SessionRecord>> listeners = new CopyOnWriteArrayList<>();
  private int size;

  public SessionLog(ReceiverLimits limits) {
    this.maxRecords = limits.maxRecords();
    this.maxPerAddress = limits.maxRecordsPerAddress();
    for (SessionOutcome outcome : SessionOutcome.values()) {
      counts.put(outcome, new LongAdder());
    }
  }

  /** Called with every session recorded, on the session's thread. */
  public void onRecord(Consumer<SessionRecord> listener) {
    listeners.add(listener);
  }

  public void add(SessionRecord record) {
    counts.get(record.outcome()).increment();
    if (record.outcome() != SessionOutcome.BUSY) {
      remember(record);
    }
    for (Consumer<SessionRecord> listener : listeners) {
      try {
        listener.accept(record);
      } catch (RuntimeException e) { // a listener's bug must not cost the session or the thread
        LoggerFactory.getLogger(SessionLog.class).warn("a session listener failed", e);
      }
    }
  }

  private synchronized void remember(SessionRecord record) {
    // Keyed by the exact address (not the /64 the concurrency limit uses): a neighbour in a shared
    // IPv6 /64 must not push out a sender's own history.
    String client = record.clientAddress();
    Deque<SessionRecord> sessions = byAddress.remove(client);
    if (sessions == null) {
      sessions = new ArrayDeque<>();
    }
    sessions.addFirst(record);
    size++;
    if (sessions.size() > maxPerAddress) {
      sessions.removeLast();
      size--;
    }
    byAddress.put(client, sessions); // now the most recently active
    Iterator<Deque<SessionRecord>> oldest = byAddress.values().iterator();
    while (size > maxRecords) {
      Deque<SessionRecord> victim = oldest.next();
      victim.removeLast();
      size--;
      if (victim.isEmpty()) {
        oldest.remove();
      }
    }
  }

  /** Every remembered session, newest first. */
  public synchronized List<SessionRecord> sessions() {
    List<SessionRecord> all = new ArrayList<>(size);
    byAddress.values().forEach(all::addAll);
    all.sort(Comparator.comparing(SessionRecord::startedAt).reversed());
    return all;
  }

  public synchronized int size() {
    return size;
  }

  /** Sessions ever recorded with this outcome, including those no longer remembered. */
  public long count(SessionOutcome outcome) {
    return counts.get(outcome).sum();
  }
}
