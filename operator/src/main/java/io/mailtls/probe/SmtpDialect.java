package io.mailtls.probe;

import io.mailtls.text.ServerText;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;

/** SMTP and submission: greeting, EHLO, STARTTLS (RFC 5321, RFC 3207). */
final class SmtpDialect implements MailDialect {
  private static final Pattern MASKED_KEYWORD = Pattern.compile("X{4,}[A-Z]?");

  private final String ehloName;

  SmtpDialect(String ehloName) {
    this.ehloName = ehloName;
  }

  @Override
  public void startTls(MailConnection c) throws IOException, ProbeException {
    c.phase(MailConnection.Phase.GREETING);
    SmtpReply greeting = SmtpReply.read(c.lines());
    c.greeting(greeting.text());
    if (greeting.code() != 220) {
      throw new ProbeException(
          greeting.isTemporary() ? FailureKind.TEMPORARILY_REFUSED : FailureKind.SERVICE_REFUSED,
          greeting.text());
    }
    c.phase(MailConnection.Phase.STARTTLS);
    c.writeLine("EHLO " + ehloName);
    SmtpReply ehlo = SmtpReply.read(c.lines());
    if (ehlo.isTemporary()) {
      throw new ProbeException(FailureKind.TEMPORARILY_REFUSED, "EHLO: " + ehlo.text());
    }
    if (ehlo.code() == 501 || ehlo.code() == 504) {
      // The server objects to our EHLO's argument: that says nothing about its STARTTLS.
      throw new ProbeException(FailureKind.PROTOCOL_ERROR, "EHLO refused: " + ehlo.text());
    }
    if (ehlo.code() != 250) {
      // 500/502: no ESMTP at all, so no STARTTLS.
      throw new ProbeException(FailureKind.STARTTLS_NOT_ADVERTISED, "EHLO refused: " + ehlo.text());
    }
    boolean offered =
        ehlo.lines().stream()
            .skip(1) // the first line is the server's name, not a keyword
            .map(l -> l.strip().toUpperCase(Locale.ROOT))
            .anyMatch(l -> l.equals("STARTTLS") || l.startsWith("STARTTLS "));
    if (!offered) {
      if (inspectedByFirewall(greeting, ehlo)) {
        throw new ProbeException(
            FailureKind.STARTTLS_STRIPPED,
            "a firewall's SMTP inspection masks the dialogue (banner \""
                + ServerText.clean(greeting.text(), 40)
                + "\", EHLO keywords such as XXXXXXXA): it hides STARTTLS");
      }
      throw new ProbeException(
          FailureKind.STARTTLS_NOT_ADVERTISED, "EHLO reply does not list STARTTLS");
    }
    c.writeLine("STARTTLS");
    SmtpReply reply = SmtpReply.read(c.lines());
    if (reply.isTemporary()) {
      throw new ProbeException(FailureKind.TEMPORARILY_REFUSED, "STARTTLS: " + reply.text());
    }
    if (reply.code() != 220) {
      throw new ProbeException(FailureKind.STARTTLS_REFUSED, reply.text());
    }
  }

  /**
   * Cisco ASA/PIX {@code inspect esmtp} (and firewalls like it) replace the banner text with
   * asterisks and the EHLO keywords they do not allow, STARTTLS first, with X's ({@code XXXXXXXA}).
   */
  static boolean inspectedByFirewall(SmtpReply greeting, SmtpReply ehlo) {
    boolean maskedKeyword =
        ehlo.lines().stream()
            .skip(1)
            .map(String::strip)
            .anyMatch(l -> MASKED_KEYWORD.matcher(l).matches());
    String banner = String.join(" ", greeting.lines()).replace(" ", "");
    boolean maskedBanner = banner.length() >= 8 && banner.chars().allMatch(ch -> ch == '*');
    return maskedKeyword || maskedBanner;
  }
}
