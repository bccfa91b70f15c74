package io.mailtls.dns;

import io.mailtls.text.ServerText;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A mail domain, written {@code mx://example.com[:port]}: its MX hosts are the endpoints, probed
 * with SMTP STARTTLS on port 25 unless another port is given.
 */
public record MailDomain(String name, int port) {
  public static final String SCHEME = "mx";
  public static final int SMTP_PORT = 25;

  /** The longest name DNS can carry, without a final dot (RFC 1035), and its longest label. */
  static final int MAX_NAME_LENGTH = 253;

  static final int MAX_LABEL_LENGTH = 63;
  private static final Pattern FORM =
      Pattern.compile("mx://([A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*)\\.?(?::([0-9]{1,5}))?/?");

  public static boolean isDomainTarget(String text) {
    return text.regionMatches(true, 0, SCHEME + "://", 0, SCHEME.length() + 3);
  }

  /** Parses {@code mx://domain[:port]}; the message of the exception says what is wrong. */
  public static MailDomain parse(String text) {
    var matcher = FORM.matcher(text.toLowerCase(Locale.ROOT));
    String quoted = "'" + ServerText.escaped(text, 80) + "'";
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          quoted + " is not a mail domain: write mx://domain[:port], e.g. mx://example.com");
    }
    int port = matcher.group(2) == null ? SMTP_PORT : Integer.parseInt(matcher.group(2));
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " of " + quoted + " is not in 1..65535");
    }
    String name = matcher.group(1);
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "the domain of "
              + quoted
              + " has "
              + name.length()
              + " characters: a DNS name has at most "
              + MAX_NAME_LENGTH);
    }
    for (String label : name.split("\\.")) {
      if (label.length() > MAX_LABEL_LENGTH) {
        throw new IllegalArgumentException(
            "the label '"
                + ServerText.escaped(label, 80)
                + "' of "
                + quoted
                + " has "
                + label.length()
                + " characters: a DNS label has 1 to "
                + MAX_LABEL_LENGTH);
      }
    }
    return new MailDomain(name, port);
  }

  @Override
  public String toString() {
    return SCHEME + "://" + name + (port == SMTP_PORT ? "" : ":" + port);
  }
}
