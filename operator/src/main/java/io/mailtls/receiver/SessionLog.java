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
    String address = record.clientAddress();
    if (!expected.contains(address)) {
      others.add(record, maxPerAddress, maxRecords);
      return;
    }
    // An address that became expected (a policy was read or edited after its first sessions)
    // brings what the other pool holds of it, and when that pool may have forgotten some of it:
    // the reserved pool's marks alone decide for it from now on.
    if (!reserved.knows(address) || others.byAddress.containsKey(address)) {
      reserved.adopt(address, others.release(address));
    }
    reserved.add(record, maxPerAddress, maxRecords);
  }

  /** Every remembered session, newest first. */
  public synchronized List<SessionRecord> sessions() {
    List<SessionRecord> all = new ArrayList<>(size());
    reserved.addTo(all);
    others.addTo(all);
    all.sort(Comparator.comparing(SessionRecord::startedAt).reversed());
    return all;
  }

  /**
   * The remembered sessions, and where the memory of each client has gaps: for an expected sender's
   * address, from its own pool only, so that strangers (a neighbour in its IPv6 /64, a flood)
   * cannot make its sessions look incomplete.
   */
  public synchronized SessionHistory history() {
    Map<String, Instant> reservedMarks = new HashMap<>(reserved.forgotten);
    Map<String, Instant> othersMarks = new HashMap<>(others.forgotten);
    Instant reservedFloor = reserved.forgottenByAll;
    Instant othersFloor = others.forgottenByAll;
    ExpectedAddresses expectedNow = expected;
    return new SessionHistory(
        sessions(),
        address ->
            expectedNow.contains(address)
                ? later(reservedMarks.get(ClientKey.of(address)), reservedFloor)
                : later(othersMarks.get(ClientKey.of(address)), othersFloor));
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

  /** What a pool held of one address: its sessions, newest first, and its forgotten mark. */
  private record Trace(Deque<SessionRecord> sessions, Instant forgottenUpTo) {}

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
      while (sessions.size() > maxPerAddress) {
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

    /** Whether this pool holds sessions of the address, or marks of its client. */
    boolean knows(String address) {
      return byAddress.containsKey(address) || forgotten.containsKey(ClientKey.of(address));
    }

    /**
     * Gives up the address's sessions, with the latest this pool may have forgotten of its client
     * (its mark, or the floor of marks it no longer keeps); the mark stays for the neighbours.
     */
    Trace release(String address) {
      Deque<SessionRecord> sessions = byAddress.remove(address);
      if (sessions != null) {
        size -= sessions.size();
      }
      return new Trace(
          sessions == null ? new ArrayDeque<>() : sessions,
          later(forgotten.get(ClientKey.of(address)), forgottenByAll));
    }

    void adopt(String address, Trace trace) {
      if (!trace.sessions().isEmpty()) {
        List<SessionRecord> merged = new ArrayList<>(trace.sessions());
        Deque<SessionRecord> mine = byAddress.remove(address);
        if (mine != null) {
          merged.addAll(mine);
        }
        merged.sort(Comparator.comparing(SessionRecord::startedAt).reversed());
        byAddress.put(address, new ArrayDeque<>(merged));
        size += trace.sessions().size();
      }
      if (trace.forgottenUpTo() != null) {
        forgotten.merge(ClientKey.of(address), trace.forgottenUpTo(), SessionLog::later);
      }
    }

    void addTo(List<SessionRecord> all) {
      byAddress.values().forEach(all::addAll);
    }
  }
}
