package io.mailtls.sender;

import io.mailtls.tls.TlsVersion;
import java.time.Duration;

/**
 * What a sender must show.
 *
 * @param minimumVersion the oldest version a peer may insist on that the sender must still reach
 * @param startTlsRequired whether sending without STARTTLS is a finding
 * @param maxAge how old the latest session may be before the sender counts as not seen
 */
public record SenderRequirements(
    TlsVersion minimumVersion, boolean startTlsRequired, Duration maxAge) {}
