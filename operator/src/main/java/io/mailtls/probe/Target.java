package io.mailtls.probe;

/**
 * What to probe: an endpoint, with the name for SNI and the certificate check. A null name means
 * the endpoint's host (none when the host is an IP address).
 */
public record Target(Endpoint endpoint, String serverName) {

  /** The name sent in SNI and checked against the certificate; null for an IP without a name. */
  String nameToPresent() {
    return serverName != null
        ? serverName
        : endpoint.hostIsAddressLiteral() ? null : endpoint.host();
  }
}
