package io.mailtls.probe;

import io.mailtls.dns.AddressText;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A mail endpoint: protocol, host and port, written {@code smtp://host[:port]}. IPv6 literals go in
 * brackets: {@code imaps://[::1]:993}.
 */
public record Endpoint(MailProtocol protocol, String host, int port) {
  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

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
      if (!IPV6_LITERAL.matcher(host).matches()) {
        throw new IllegalArgumentException(
            "'" + host + "' in '" + target + "' is not an IPv6 address");
      }
    } else {
      int colon = rest.indexOf(':');
      if (colon >= 0 && rest.indexOf(':', colon + 1) >= 0) {
        throw new IllegalArgumentException(
            "'"
                + target
                + "' has more than one ':'; an IPv6 address goes in brackets: "
                + scheme
                + "://[::1]:"
                + protocol.defaultPort());
      }
      host = colon < 0 ? rest : rest.substring(0, colon);
      portText = colon < 0 ? null : rest.substring(colon + 1);
      if (!host.isEmpty() && !HOST_NAME.matcher(host).matches()) {
        throw new IllegalArgumentException(
            "'"
                + host
                + "' in '"
                + target
                + "' is not a host name or address (letters, digits, '-', '_' and '.' only)");
      }
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("'" + target + "' has no valid host");
    }
    int port = protocol.defaultPort();
    if (portText != null) {
      if (!PORT.matcher(portText).matches()) {
        throw new IllegalArgumentException(
            "port '" + portText + "' of '" + target + "' is not a number");
      }
      port = Integer.parseInt(portText);
    }
    return new Endpoint(protocol, host, port);
  }

  /** True when the host is an IP address literal rather than a name (no SNI is sent then). */
  public boolean hostIsAddressLiteral() {
    return AddressText.isLiteral(host);
  }

  @Override
  public String toString() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return protocol.scheme() + "://" + h + ":" + port;
  }
}
