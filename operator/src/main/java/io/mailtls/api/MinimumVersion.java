package io.mailtls.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mailtls.probe.TlsVersion;

/** The oldest protocol version a policy allows; older ones make an endpoint non-compliant. */
public enum MinimumVersion {
  @JsonProperty("TLSv1.2")
  TLS_1_2(TlsVersion.TLS_1_2),
  @JsonProperty("TLSv1.3")
  TLS_1_3(TlsVersion.TLS_1_3);

  private final TlsVersion version;

  MinimumVersion(TlsVersion version) {
    this.version = version;
  }

  public TlsVersion tlsVersion() {
    return version;
  }
}
