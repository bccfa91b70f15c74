package io.mailtls.tls;

import java.util.Arrays;
import java.util.Optional;

/** The protocol versions the engine probes, oldest first, with their wire codes. */
public enum TlsVersion {
  SSL_3_0("SSLv3", 0x0300),
  TLS_1_0("TLSv1.0", 0x0301),
  TLS_1_1("TLSv1.1", 0x0302),
  TLS_1_2("TLSv1.2", 0x0303),
  TLS_1_3("TLSv1.3", 0x0304);

  private final String label;
  private final int code;

  TlsVersion(String label, int code) {
    this.label = label;
    this.code = code;
  }

  /** The name used everywhere users see a version: CLI, JSON, status, metric labels. */
  public String label() {
    return label;
  }

  public int code() {
    return code;
  }

  public boolean isAtLeast(TlsVersion other) {
    return compareTo(other) >= 0;
  }

  public static TlsVersion fromLabel(String label) {
    return Arrays.stream(values())
        .filter(v -> v.label.equalsIgnoreCase(label))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown protocol version '"
                        + label
                        + "': expected one of SSLv3, TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3"));
  }

  public static Optional<TlsVersion> fromCode(int code) {
    return Arrays.stream(values()).filter(v -> v.code == code).findFirst();
  }

  /** A version code as a person reads it, also for codes this enum does not know. */
  public static String describe(int code) {
    return fromCode(code).map(TlsVersion::label).orElse(String.format("0x%04x", code));
  }

  @Override
  public String toString() {
    return label;
  }
}
