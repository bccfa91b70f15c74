package io.mailtls.tls;

import java.util.List;
import java.util.Optional;

/**
 * What a TLS client offered in its ClientHello, as read from the wire before any TLS library saw
 * it: the test receiver records this for every sending server, including ones whose versions the
 * JDK would refuse to talk to. Only what the verdicts need is kept (not the suite list: a hostile
 * hello may carry thousands).
 *
 * @param offeredVersions the versions offered, oldest first: the {@code supported_versions} list
 *     when the client sent one, else its legacy version alone (which is only its highest)
 * @param fromSupportedVersions whether the versions come from {@code supported_versions}
 * @param suiteCount how many cipher suites were offered, signalling values not counted
 * @param modernSuitesOffered whether an ECDHE suite with an AEAD cipher, or a TLS 1.3 suite, is
 *     among them: what a TLS 1.2-only peer such as Office 365 expects
 * @param fallbackSignalled whether the hello carries TLS_FALLBACK_SCSV (RFC 7507): a retry at a
 *     lower version after a failed attempt, which says nothing of the client's best
 * @param serverName the SNI host name, or null when the client sent none
 * @param sslv2Format whether the hello came in the SSLv2-compatible format of very old clients
 */
public record ClientHello(
    List<TlsVersion> offeredVersions,
    boolean fromSupportedVersions,
    int suiteCount,
    boolean modernSuitesOffered,
    boolean fallbackSignalled,
    String serverName,
    boolean sslv2Format) {

  /** TLS_FALLBACK_SCSV: a signal, not a suite. */
  static final int FALLBACK_SCSV = 0x5600;

  public ClientHello {
    offeredVersions = List.copyOf(offeredVersions);
  }

  /** From the suites as offered (signalling values other than the fallback SCSV removed). */
  public ClientHello(
      List<TlsVersion> offeredVersions,
      boolean fromSupportedVersions,
      List<Integer> suites,
      String serverName,
      boolean sslv2Format) {
    this(
        offeredVersions,
        fromSupportedVersions,
        (int) suites.stream().filter(s -> s != FALLBACK_SCSV).count(),
        suites.stream().anyMatch(CipherSuites::isModern),
        suites.contains(FALLBACK_SCSV),
        serverName,
        sslv2Format);
  }

  public Optional<TlsVersion> highestOffered() {
    return offeredVersions.isEmpty()
        ? Optional.empty()
        : Optional.of(offeredVersions.get(offeredVersions.size() - 1));
  }

  public boolean offersAtLeast(TlsVersion minimum) {
    return highestOffered().map(v -> v.isAtLeast(minimum)).orElse(false);
  }

  /**
   * The offer as a person reads it: "TLSv1.2-TLSv1.3" from {@code supported_versions}; "up to
   * TLSv1.1" from a legacy hello, which names only the client's highest version.
   */
  public String describeOffer() {
    if (offeredVersions.isEmpty()) {
      return "no known TLS version";
    }
    TlsVersion highest = offeredVersions.get(offeredVersions.size() - 1);
    if (!fromSupportedVersions) {
      return "up to " + highest.label();
    }
    TlsVersion lowest = offeredVersions.get(0);
    return lowest == highest ? highest.label() : lowest.label() + "-" + highest.label();
  }
}
