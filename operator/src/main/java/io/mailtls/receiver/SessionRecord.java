package io.mailtls.receiver;

import io.mailtls.tls.ClientHello;
import io.mailtls.tls.TlsVersion;
import java.time.Instant;

/**
 * One test session as the receiver saw it. Every text that came from the sender is sanitized.
 *
 * @param clientAddress the sender's address (RFC 5952 text for IPv6)
 * @param ehloName the EHLO/HELO name, or null when the sender sent none
 * @param startTls whether the sender issued STARTTLS
 * @param hello the ClientHello, when a complete one was read
 * @param negotiated the version agreed in the ServerHello, or null when none was (a handshake that
 *     failed after it, on the sender's distrust of the certificate, still has one)
 * @param detail what happened, for people: an alert, a reply, a limit
 */
public record SessionRecord(
    Instant startedAt,
    String clientAddress,
    String ehloName,
    boolean startTls,
    ClientHello hello,
    TlsVersion negotiated,
    SessionOutcome outcome,
    String detail) {}
