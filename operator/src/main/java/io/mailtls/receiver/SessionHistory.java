package io.mailtls.receiver;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * What the receiver remembers at one moment: its sessions, newest first, and for each client how
 * far back that memory has gaps. A verdict that rests on what a client did not do just before (no
 * STARTTLS before a plaintext retry, no higher offer before a lower one) needs the sessions just
 * before to be all there.
 *
 * @param forgottenUpTo for a client address: the start of the newest of its sessions (or of its
 *     IPv6 /64's) the receiver no longer remembers; null when it forgot none
 */
public record SessionHistory(
    List<SessionRecord> newestFirst, Function<String, Instant> forgottenUpTo) {

  public SessionHistory {
    newestFirst = List.copyOf(newestFirst);
  }

  /** A history with no gaps: every session of every client is in {@code newestFirst}. */
  public static SessionHistory complete(List<SessionRecord> newestFirst) {
    return new SessionHistory(newestFirst, client -> null);
  }

  /** Whether a session of this client that started at or after {@code since} may be missing. */
  public boolean mayMiss(String clientAddress, Instant since) {
    Instant mark = forgottenUpTo.apply(clientAddress);
    return mark != null && !mark.isBefore(since);
  }
}
