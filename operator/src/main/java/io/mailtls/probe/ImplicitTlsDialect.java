package io.mailtls.probe;

import io.mailtls.text.ServerText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * SMTPS, IMAPS, POP3S: TLS from the first byte, so nothing is said in plain text; the greeting
 * comes only after the handshake ({@link #readGreeting}).
 */
final class ImplicitTlsDialect implements MailDialect {
  /** Lines of a greeting read at most (an SMTP greeting may span several "220-" lines). */
  private static final int MAX_GREETING_LINES = 10;

  @Override
  public void startTls(MailConnection connection) {
    // Nothing to say before the ClientHello.
  }

  /**
   * The greeting's lines, cleaned: SMTP's "220-…" lines up to the last one, or the one "* OK" or
   * "+OK" line. A server that stops, or sends what is not a line, leaves what was read: the
   * greeting only names the software, and a TLS-only peer sends none.
   */
  static List<String> readGreeting(MailLineReader in) {
    List<String> lines = new ArrayList<>();
    try {
      while (lines.size() < MAX_GREETING_LINES) {
        String line = in.readLine();
        lines.add(ServerText.clean(line));
        if (!SmtpReply.continues(line)) {
          break;
        }
      }
    } catch (IOException | ProbeException e) {
      // No greeting, or it stopped: what was read is what there is.
    }
    return lines;
  }
}
