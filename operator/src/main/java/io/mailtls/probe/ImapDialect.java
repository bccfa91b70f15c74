package io.mailtls.probe;

import io.mailtls.text.ServerText;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

/** IMAP: greeting, CAPABILITY (skipped when the greeting carries it), STARTTLS (RFC 9051). */
final class ImapDialect implements MailDialect {
  private static final int MAX_UNTAGGED_LINES = 100;

  @Override
  public void startTls(MailConnection c) throws IOException, ProbeException {
    c.phase(MailConnection.Phase.GREETING);
    String greeting = c.lines().readLine();
    c.greeting(greeting);
    String upper = greeting.toUpperCase(Locale.ROOT);
    if (upper.startsWith("* BYE")) {
      // A server that will not talk now: too many connections, a rate limit (RFC 9051 7.1.5).
      throw new ProbeException(FailureKind.TEMPORARILY_REFUSED, greeting);
    }
    if (!upper.startsWith("* OK") && !upper.startsWith("* PREAUTH")) {
      throw new ProbeException(
          FailureKind.NOT_A_MAIL_SERVER, "not an IMAP greeting: " + ServerText.clean(greeting, 80));
    }
    c.phase(MailConnection.Phase.STARTTLS);
    // Most servers announce their capabilities in the greeting; that saves a round trip.
    String capabilities = capabilityCode(upper);
    if (capabilities == null) {
      c.writeLine("a1 CAPABILITY");
      capabilities = "";
      for (String line : untilTagged(c, "a1")) {
        if (line.toUpperCase(Locale.ROOT).startsWith("* CAPABILITY ")) {
          capabilities += " " + line.substring(13).toUpperCase(Locale.ROOT);
        }
      }
    }
    if (Arrays.stream(capabilities.split(" ")).noneMatch("STARTTLS"::equals)) {
      throw new ProbeException(
          FailureKind.STARTTLS_NOT_ADVERTISED, "CAPABILITY does not list STARTTLS");
    }
    c.writeLine("a2 STARTTLS");
    String[] lines = untilTagged(c, "a2");
    String tagged = lines[lines.length - 1];
    String answer = tagged.toUpperCase(Locale.ROOT);
    if (answer.startsWith("A2 NO")) {
      // NO is "could not, now" (RFC 9051 7.1.2); BAD is "no such command here".
      throw new ProbeException(FailureKind.TEMPORARILY_REFUSED, tagged);
    }
    if (!answer.startsWith("A2 OK")) {
      throw new ProbeException(FailureKind.STARTTLS_REFUSED, tagged);
    }
  }

  /** The text of a {@code [CAPABILITY ...]} response code in an OK greeting, if any. */
  private static String capabilityCode(String upperGreeting) {
    int start = upperGreeting.indexOf("[CAPABILITY ");
    int end = upperGreeting.indexOf(']', start + 1);
    return start < 0 || end < 0 ? null : upperGreeting.substring(start + 12, end);
  }

  /** Lines up to and including the tagged response to {@code tag}. */
  private static String[] untilTagged(MailConnection c, String tag)
      throws IOException, ProbeException {
    String[] lines = new String[MAX_UNTAGGED_LINES + 1];
    for (int i = 0; i <= MAX_UNTAGGED_LINES; i++) {
      String line = c.lines().readLine();
      lines[i] = line;
      if (line.regionMatches(true, 0, tag + " ", 0, tag.length() + 1)) {
        return Arrays.copyOf(lines, i + 1);
      }
      if (!line.startsWith("* ") && !line.startsWith("+")) {
        throw new ProbeException(
            FailureKind.PROTOCOL_ERROR, "unexpected IMAP response: " + ServerText.clean(line, 80));
      }
    }
    throw new ProbeException(
        FailureKind.PROTOCOL_ERROR, "no tagged response after " + MAX_UNTAGGED_LINES + " lines");
  }
}
