package io.mailtls.receiver;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The sessions the receiver remembers, in two pools of {@link ReceiverLimits#maxRecords()} each:
 * one for the addresses of expected senders ({@link #reserveFor}), one for everybody else, so that
 * no number of other clients (internet scanners, one IPv6 /64) can push an expected sender's
 * records out. In each pool an address keeps its newest {@link
 * ReceiverLimits#maxRecordsPerAddress()} sessions, and when the pool is full the least recently
 * active address gives up its oldest first. What was given up is not silently gone: for every
 * client the log keeps when its newest forgotten session started ({@link SessionHistory}), so that
 * no verdict rests on half of a pair. Counters per outcome count every session ever recorded.
 */
public final class SessionLog {
  private final int maxRecords;
  private final int maxPerAddress;
  private final Pool reserved = new Pool();
  private final Pool others = new Pool();
  private final Map<SessionOutcome, LongAdder> counts = new EnumMap<>(SessionOutcome.class);
  private final List<Consumer<SessionRecord>> listeners = new CopyOnWriteArrayList<>();
  private volatile ExpectedAddresses expected = ExpectedAddresses.NONE;

  public SessionLog(ReceiverLimits limits) {
    this.maxRecords = limits.maxRecords();
    this.maxPerAddress = limits.maxRecordsPerAddress();
    for (SessionOutcome outcome : SessionOutcome.values()) {
      counts.put(outcome, new LongAdder());
    }
  }

  /** Whose sessions get the reserved pool (and, at the receiver, the reserved sessions). */
  public void reserveFor(ExpectedAddresses expected) {
    this.expected = expected;
  }

  public ExpectedAddresses expected() {
    return expected;
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
    pool(record.clientAddress()).add(record, maxPerAddress, maxRecords);
  }

  private Pool pool(String clientAddress) {
    return expected.contains(clientAddress) ? reserved : others;
  }

  /** Every remembered session, newest first. */
  public synchronized List<SessionRecord> sessions() {
    List<SessionRecord> all = new ArrayList<>(size());
    reserved.addTo(all);
    others.addTo(all);
    all.sort(Comparator.comparing(SessionRecord::startedAt).reversed());
    return all;
  }

  /** The remembered sessions, and where the memory of each client has gaps. */
  public synchronized SessionHistory history() {
    Map<String, Instant> marks = new HashMap<>(others.forgotten);
    reserved.forgotten.forEach((client, mark) -> marks.merge(client, mark, SessionLog::later));
    Instant othersFloor = others.forgottenByAll;
    Instant reservedFloor = reserved.forgottenByAll;
    ExpectedAddresses expectedNow = expected;
    return new SessionHistory(
        sessions(),
        address ->
            later(
                marks.get(ClientKey.of(address)),
                expectedNow.contains(address) ? reservedFloor : othersFloor));
  }

  public synchronized int size() {
    return reserved.size + others.size;
  }

  /** Sessions ever recorded with this outcome, including those no longer remembered. */
  public long count(SessionOutcome outcome) {
    return counts.get(outcome).sum();
  }

  private static Instant later(Instant a, Instant b) {
    return a == null ? b : b == null || a.isAfter(b) ? a : b;
  }

  /** One pool of sessions: by exact address, newest first, the least recently active first. */
  private static final class Pool {
    final Map<String, Deque<SessionRecord>> byAddress = new LinkedHashMap<>();

    /**
     * By client ({@link ClientKey}): when its newest forgotten session started. Bounded like the
     * records; a mark that must go makes {@link #forgottenByAll} later instead.
     */
    final LinkedHashMap<String, Instant> forgotten = new LinkedHashMap<>();

    Instant forgottenByAll;
    int size;

    void add(SessionRecord record, int maxPerAddress, int maxRecords) {
      // Keyed by the exact address (not the /64 the concurrency limit uses): a neighbour in a
      // shared IPv6 /64 must not push out a sender's own history.
      String client = record.clientAddress();
      Deque<SessionRecord> sessions = byAddress.remove(client);
      if (sessions == null) {
        sessions = new ArrayDeque<>();
      }
      sessions.addFirst(record);
      size++;
      if (sessions.size() > maxPerAddress) {
        forget(sessions.removeLast(), maxRecords);
      }
      byAddress.put(client, sessions); // now the most recently active
      Iterator<Deque<SessionRecord>> oldest = byAddress.values().iterator();
      while (size > maxRecords) {
        Deque<SessionRecord> victim = oldest.next();
        forget(victim.removeLast(), maxRecords);
        if (victim.isEmpty()) {
          oldest.remove();
        }
      }
    }

    private void forget(SessionRecord record, int maxMarks) {
      size--;
      String client = ClientKey.of(record.clientAddress());
      forgotten.merge(client, record.startedAt(), SessionLog::later);
      forgotten.put(client, forgotten.remove(client)); // the newest mark goes last
      if (forgotten.size() > maxMarks) {
        Iterator<Instant> oldestMark = forgotten.values().iterator();
        forgottenByAll = later(forgottenByAll, oldestMark.next());
        oldestMark.remove();
      }
    }

    void addTo(List<SessionRecord> all) {
      byAddress.values().forEach(all::addAll);
    }
  }
}
