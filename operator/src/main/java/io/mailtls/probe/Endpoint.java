package io.mailtls.probe;

import java.util.Objects;

/**
 * A mail endpoint: protocol, host and port, written {@code smtp://host[:port]}. IPv6 literals go in
 * brackets: {@code imaps://[::1]:993}.
 */
public record Endpoint(MailProtocol protocol, String host, int port) {

  public Endpoint {
    Objects.requireNonNull(protocol, "protocol");
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("endpoint host must not be empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("endpoint port " + port + " is not in 1..65535");
    }
  }

  /** Parses {@code scheme://host[:port]}; the message of the exception says what is wrong. */
  public static Endpoint parse(String target) {
    int sep = target.indexOf("://");
    if (sep < 0) {
      throw new IllegalArgumentException(
          "'"
              + target
              + "' is not a mail endpoint: write scheme://host[:port] with a scheme of "
              + MailProtocol.schemes());
    }
    String scheme = target.substring(0, sep);
    MailProtocol protocol =
        MailProtocol.fromScheme(scheme)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown scheme '"
                            + scheme
                            + "' in '"
                            + target
                            + "': expected one of "
                            + MailProtocol.schemes()));
    String rest = target.substring(sep + 3);
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    String host;
    String portText = null;
    if (rest.startsWith("[")) {
      int close = rest.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unclosed '[' in IPv6 address of '" + target + "'");
      }
      host = rest.substring(1, close);
      String after = rest.substring(close + 1);
      if (after.startsWith(":")) {
        portText = after.substring(1);
      } else if (!after.isEmpty()) {
        throw new IllegalArgumentException("unexpected '" + after + "' in '" + target + "'");
      }
    } else {
      int colon = rest.lastIndexOf(':');
      host = colon < 0 ? rest : rest.substring(0, colon);
      portText = colon < 0 ? null : rest.substring(colon + 1);
    }
    if (host.isEmpty() || host.contains("/") || host.contains("@")) {
      throw new IllegalArgumentException("'" + target + "' has no valid host");
    }
    int port = protocol.defaultPort();
    if (portText != null) {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "port '" + portText + "' of '" + target + "' is not a number");
      }
    }
    return new Endpoint(protocol, host, port);
  }

  /** True when the host is an IP address literal rather than a name (no SNI is sent then). */
  public boolean hostIsAddressLiteral() {
    return host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  @Override
  public String toString() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return protocol.scheme() + "://" + h + ":" + port;
  }
}
