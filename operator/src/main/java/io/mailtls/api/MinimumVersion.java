package io.mailtls.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The oldest protocol version a policy allows; older ones make an endpoint non-compliant. */
public enum MinimumVersion {
  @JsonProperty("TLSv1.2")
  TLS_1_2,
  @JsonProperty("TLSv1.3")
  TLS_1_3
}
