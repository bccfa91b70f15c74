package io.mailtls.probe;

import java.util.List;
import java.util.Optional;

/**
 * What a TLS client offered in its ClientHello, as read from the wire before any TLS library saw
 * it: the test receiver records this for every sending server, including ones whose versions the
 * JDK would refuse to talk to.
 *
 * @param offeredVersions the versions offered, oldest first: the {@code supported_versions} list
 *     when the client sent one, else its legacy version alone (which is only its highest)
 * @param fromSupportedVersions whether the versions come from {@code supported_versions}
 * @param cipherSuites the suites offered, in the client's order, without signalling values
 * @param serverName the SNI host name, or null when the client sent none
 * @param sslv2Format whether the hello came in the SSLv2-compatible format of very old clients
 */
public record ClientHello(
    List<TlsVersion> offeredVersions,
    boolean fromSupportedVersions,
    List<Integer> cipherSuites,
    String serverName,
    boolean sslv2Format) {

  public ClientHello {
    offeredVersions = List.copyOf(offeredVersions);
    cipherSuites = List.copyOf(cipherSuites);
  }

  public Optional<TlsVersion> highestOffered() {
    return offeredVersions.isEmpty()
        ? Optional.empty()
        : Optional.of(offeredVersions.get(offeredVersions.size() - 1));
  }

  public boolean offersAtLeast(TlsVersion minimum) {
    return highestOffered().map(v -> v.isAtLeast(minimum)).orElse(false);
  }

  /** Whether any ECDHE suite with an AEAD cipher (or a TLS 1.3 suite) is among the offered. */
  public boolean modernSuitesOffered() {
    return cipherSuites.stream().anyMatch(CipherSuites::isModern);
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
