package io.mailtls.probe;

import io.mailtls.dns.AddressText;
import io.mailtls.text.ServerText;
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

  /**
   * The longest host name DNS can carry (RFC 1035: 255 octets on the wire), without a final dot.
   */
  private static final int MAX_NAME_LENGTH = 253;

  /** The longest label of a name (RFC 1035). */
  private static final int MAX_LABEL_LENGTH = 63;

  /** How much of a bad target an error message quotes. */
  private static final int QUOTED_LENGTH = 80;

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
          quote(target)
              + " is not a mail endpoint: write scheme://host[:port] with a scheme of "
              + MailProtocol.schemes());
    }
    String scheme = target.substring(0, sep);
    MailProtocol protocol =
        MailProtocol.fromScheme(scheme)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown scheme "
                            + quote(scheme)
                            + " in "
                            + quote(target)
                            + ": expected one of "
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
        throw new IllegalArgumentException("unclosed '[' in IPv6 address of " + quote(target));
      }
      host = rest.substring(1, close);
      String after = rest.substring(close + 1);
      if (after.startsWith(":")) {
        portText = after.substring(1);
      } else if (!after.isEmpty()) {
        throw new IllegalArgumentException("unexpected " + quote(after) + " in " + quote(target));
      }
      if (!IPV6_LITERAL.matcher(host).matches()) {
        throw new IllegalArgumentException(
            quote(host) + " in " + quote(target) + " is not an IPv6 address");
      }
    } else {
      int colon = rest.indexOf(':');
      if (colon >= 0 && rest.indexOf(':', colon + 1) >= 0) {
        throw new IllegalArgumentException(
            quote(target)
                + " has more than one ':'; an IPv6 address goes in brackets: "
                + scheme
                + "://[::1]:"
                + protocol.defaultPort());
      }
      host = colon < 0 ? rest : rest.substring(0, colon);
      portText = colon < 0 ? null : rest.substring(colon + 1);
      if (!host.isEmpty() && !HOST_NAME.matcher(host).matches()) {
        throw new IllegalArgumentException(
            quote(host)
                + " in "
                + quote(target)
                + " is not a host name or address (letters, digits, '-', '_' and '.' only)");
      }
      if (!host.isEmpty()) {
        checkNameLength(host, target);
      }
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException(quote(target) + " has no valid host");
    }
    int port = protocol.defaultPort();
    if (portText != null) {
      if (!PORT.matcher(portText).matches()) {
        throw new IllegalArgumentException(
            "port " + quote(portText) + " of " + quote(target) + " is not a number");
      }
      port = Integer.parseInt(portText);
    }
    return new Endpoint(protocol, host, port);
  }

  /**
   * A name DNS can carry: at most {@link #MAX_NAME_LENGTH} characters (one final dot aside), each
   * label 1 to {@link #MAX_LABEL_LENGTH}. Longer is a usage error here, not a DNS failure later.
   */
  private static void checkNameLength(String host, String target) {
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "the host name of "
              + quote(target)
              + " has "
              + name.length()
              + " characters: a DNS name has at most "
              + MAX_NAME_LENGTH);
    }
    int start = 0;
    for (int dot = name.indexOf('.'); ; dot = name.indexOf('.', start)) {
      int end = dot < 0 ? name.length() : dot;
      if (end == start || end - start > MAX_LABEL_LENGTH) {
        throw new IllegalArgumentException(
            (end == start
                    ? "the host name of " + quote(target) + " has an empty label"
                    : "the label "
                        + quote(name.substring(start, end))
                        + " of "
                        + quote(target)
                        + " has "
                        + (end - start)
                        + " characters")
                + ": a DNS label has 1 to "
                + MAX_LABEL_LENGTH);
      }
      if (dot < 0) {
        return;
      }
      start = dot + 1;
    }
  }

  /**
   * Part of a target quoted in a message, shortened, control characters shown as \xNN: escaped, not
   * dropped, so that "mx<NUL>.example" does not read as the valid "mx.example".
   */
  private static String quote(String text) {
    return "'" + ServerText.escaped(text, QUOTED_LENGTH) + "'";
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
