package io.mailtls.probe;

import io.mailtls.text.ServerText;
import java.io.IOException;
import java.util.Locale;

/** POP3: greeting, CAPA, STLS (RFC 2449, RFC 2595). */
final class Pop3Dialect implements MailDialect {
  private static final int MAX_CAPA_LINES = 100;

  @Override
  public void startTls(MailConnection c) throws IOException, ProbeException {
    c.phase(MailConnection.Phase.GREETING);
    String greeting = c.lines().readLine();
    c.greeting(greeting);
    if (greeting.startsWith("-ERR")) {
      throw new ProbeException(
          isTemporary(greeting) ? FailureKind.TEMPORARILY_REFUSED : FailureKind.SERVICE_REFUSED,
          greeting);
    }
    if (!greeting.startsWith("+OK")) {
      throw new ProbeException(
          FailureKind.NOT_A_MAIL_SERVER, "not a POP3 greeting: " + ServerText.clean(greeting, 80));
    }
    c.phase(MailConnection.Phase.STARTTLS);
    c.writeLine("CAPA");
    String status = c.lines().readLine();
    // Servers without CAPA (it is optional) may still implement STLS, so only a CAPA list that
    // leaves STLS out counts as "not advertised".
    if (status.startsWith("+OK") && !listsStls(c)) {
      throw new ProbeException(FailureKind.STARTTLS_NOT_ADVERTISED, "CAPA does not list STLS");
    }
    c.writeLine("STLS");
    String reply = c.lines().readLine();
    if (!reply.startsWith("+OK")) {
      throw new ProbeException(
          isTemporary(reply) ? FailureKind.TEMPORARILY_REFUSED : FailureKind.STARTTLS_REFUSED,
          reply);
    }
  }

  /**
   * The response codes of RFC 2449/3206 that mean "not now": [IN-USE], [SYS/TEMP], [LOGIN-DELAY].
   */
  private static boolean isTemporary(String error) {
    String upper = error.toUpperCase(Locale.ROOT);
    return upper.contains("[IN-USE]")
        || upper.contains("[SYS/TEMP]")
        || upper.contains("[LOGIN-DELAY]");
  }

  private static boolean listsStls(MailConnection c) throws IOException, ProbeException {
    boolean stls = false;
    for (int i = 0; i < MAX_CAPA_LINES; i++) {
      String line = c.lines().readLine();
      if (line.equals(".")) {
        return stls;
      }
      stls |= line.strip().toUpperCase(Locale.ROOT).equals("STLS");
    }
    throw new ProbeException(
        FailureKind.PROTOCOL_ERROR, "CAPA list longer than " + MAX_CAPA_LINES + " lines");
  }
}
