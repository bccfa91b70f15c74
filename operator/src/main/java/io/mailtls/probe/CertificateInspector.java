package io.mailtls.probe;

import io.mailtls.text.ServerText;
import java.io.IOException;
import java.io.InputStream;
import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Parses a server's certificate chain, validates it and checks the name it was reached by. */
final class CertificateInspector {
  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  /**
   * How long a chain's validation is reused. A mail host shows one chain on all its ports, a fleet
   * often one chain on all its hosts, and every round shows them again: PKIX against a full trust
   * store is a good part of a probe's CPU. Never past a certificate's notAfter (or a notBefore
   * still to come), when the answer would change.
   */
  static final Duration VALIDATION_REUSE = Duration.ofMinutes(10);

  /** Chains whose validation is remembered: a digest and a message each, a few hundred KiB. */
  static final int MAX_REMEMBERED = 4096;

  private final Set<TrustAnchor> anchors;
  private final Map<String, Validation> recent =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Validation> eldest) {
              return size() > MAX_REMEMBERED;
            }
          });

  /** A validation's result (null: the chain validated) and until when it may be reused. */
  private record Validation(String error, Instant reusableUntil) {}

  private CertificateInspector(Set<TrustAnchor> anchors) {
    this.anchors = anchors;
  }

  /**
   * Trusts the CAs in a PEM bundle, or the JVM's default trust store when {@code caFile} is null.
   */
  static CertificateInspector trusting(Path caFile) {
    try {
      Collection<? extends Certificate> cas;
      if (caFile != null) {
        try (InputStream in = Files.newInputStream(caFile)) {
          cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (cas.isEmpty()) {
          throw new IllegalArgumentException("--ca-file " + caFile + " holds no PEM certificate");
        }
      } else {
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        cas =
            Arrays.stream(tmf.getTrustManagers())
                .filter(X509TrustManager.class::isInstance)
                .flatMap(tm -> Arrays.stream(((X509TrustManager) tm).getAcceptedIssuers()))
                .toList();
      }
      return new CertificateInspector(
          cas.stream()
              .map(c -> new TrustAnchor((X509Certificate) c, null))
              .collect(Collectors.toUnmodifiableSet()));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "--ca-file " + caFile + " holds no readable PEM certificates: " + e.getMessage(), e);
    }
  }

  CertificateInfo inspect(List<X509Certificate> chain, String name) {
    X509Certificate leaf = chain.get(0);
    List<List<?>> sans = subjectAltNames(leaf);
    String chainError = validate(chain);
    return new CertificateInfo(
        ServerText.clean(leaf.getSubjectX500Principal().getName()),
        sans.stream().map(san -> ServerText.clean(String.valueOf(san.get(1)))).toList(),
        ServerText.clean(leaf.getIssuerX500Principal().getName()),
        leaf.getNotBefore().toInstant(),
        leaf.getNotAfter().toInstant(),
        chainError == null,
        chainError,
        name,
        nameMatches(leaf, sans, name));
  }

  /** Null when the chain validates, else the reason; reused for the same chain a while. */
  private String validate(List<X509Certificate> chain) {
    Instant now = Instant.now();
    String key = digest(chain);
    Validation remembered = key == null ? null : recent.get(key);
    if (remembered != null && now.isBefore(remembered.reusableUntil())) {
      return remembered.error();
    }
    String error = validateNow(chain);
    Instant until = reusableUntil(chain, now);
    if (key != null && until.isAfter(now)) {
      recent.put(key, new Validation(error, until));
    }
    return error;
  }

  /** The end of {@link #VALIDATION_REUSE}, or the first validity boundary of the chain before. */
  static Instant reusableUntil(List<X509Certificate> chain, Instant now) {
    Instant until = now.plus(VALIDATION_REUSE);
    for (X509Certificate certificate : chain) {
      Instant notBefore = certificate.getNotBefore().toInstant();
      Instant notAfter = certificate.getNotAfter().toInstant();
      if (notBefore.isAfter(now) && notBefore.isBefore(until)) {
        until = notBefore;
      }
      if (notAfter.isBefore(until)) {
        until = notAfter;
      }
    }
    return until;
  }

  /** SHA-256 over the chain's encodings; null when a certificate cannot be encoded (never kept). */
  private static String digest(List<X509Certificate> chain) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      for (X509Certificate certificate : chain) {
        byte[] der = certificate.getEncoded();
        sha256.update(ByteBuffer.allocate(4).putInt(der.length).array());
        sha256.update(der);
      }
      return HexFormat.of().formatHex(sha256.digest());
    } catch (GeneralSecurityException e) {
      return null;
    }
  }

  private String validateNow(List<X509Certificate> chain) {
    // The path handed to PKIX must not contain the trust anchor itself.
    List<X509Certificate> path = new ArrayList<>(chain);
    while (path.size() > 1 && isAnchor(path.get(path.size() - 1))) {
      path.remove(path.size() - 1);
    }
    try {
      PKIXParameters parameters = new PKIXParameters(anchors);
      parameters.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
      return null;
    } catch (GeneralSecurityException | RuntimeException e) {
      return ServerText.clean(e.getMessage());
    }
  }

  private boolean isAnchor(X509Certificate certificate) {
    return anchors.stream().anyMatch(a -> certificate.equals(a.getTrustedCert()));
  }

  private static List<List<?>> subjectAltNames(X509Certificate leaf) {
    try {
      Collection<List<?>> all = leaf.getSubjectAlternativeNames();
      if (all == null) {
        return List.of();
      }
      return all.stream()
          .filter(san -> (Integer) san.get(0) == SAN_DNS || (Integer) san.get(0) == SAN_IP)
          .toList();
    } catch (CertificateParsingException e) {
      return List.of();
    }
  }

  static boolean nameMatches(X509Certificate leaf, List<List<?>> sans, String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    if (isAddressLiteral(name)) {
      return sans.stream()
          .filter(san -> (Integer) san.get(0) == SAN_IP)
          .anyMatch(san -> sameAddress(String.valueOf(san.get(1)), name));
    }
    String host;
    try {
      // A fully qualified name may end in a dot; certificates never do.
      host =
          IDN.toASCII(name.endsWith(".") ? name.substring(0, name.length() - 1) : name)
              .toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException notAHostName) { // an empty label, a label over 63 octets
      return false;
    }
    List<String> dnsNames =
        sans.stream()
            .filter(san -> (Integer) san.get(0) == SAN_DNS)
            .map(san -> String.valueOf(san.get(1)))
            .toList();
    if (dnsNames.isEmpty()) {
      // RFC 6125 allows the CN only when there are no DNS SANs.
      dnsNames = commonName(leaf).map(List::of).orElse(List.of());
    }
    return dnsNames.stream()
        .anyMatch(pattern -> matchesPattern(pattern.toLowerCase(Locale.ROOT), host));
  }

  /** Exact match, or a wildcard in the whole left-most label: {@code *.example.com}. */
  static boolean matchesPattern(String pattern, String host) {
    if (pattern.startsWith("*.")) {
      int dot = host.indexOf('.');
      return dot > 0 && host.substring(dot).equals(pattern.substring(1));
    }
    return pattern.equals(host);
  }

  private static java.util.Optional<String> commonName(X509Certificate leaf) {
    return Arrays.stream(leaf.getSubjectX500Principal().getName().split(","))
        .map(String::strip)
        .filter(rdn -> rdn.regionMatches(true, 0, "CN=", 0, 3))
        .map(rdn -> rdn.substring(3))
        .findFirst();
  }

  private static boolean isAddressLiteral(String name) {
    return name.contains(":") || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  private static boolean sameAddress(String a, String b) {
    try {
      return InetAddress.getByName(a).equals(InetAddress.getByName(b));
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
