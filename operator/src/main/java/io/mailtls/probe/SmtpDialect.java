package io.mailtls.probe;

import io.mailtls.text.ServerText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** SMTP and submission: greeting, EHLO, STARTTLS (RFC 5321, RFC 3207). */
final class SmtpDialect implements MailDialect {
  // DOTALL: a reply's text may hold a stray CR or a byte 0x85 (cp1252's "…", NEL in Latin-1),
  // which "." alone would not match; such a server is still a mail server.
  private static final Pattern REPLY_LINE = Pattern.compile("\\d{3}([ -].*)?", Pattern.DOTALL);
  private static final int MAX_REPLY_LINES = 100;
  private static final Pattern MASKED_KEYWORD = Pattern.compile("X{4,}[A-Z]?");

  private final String ehloName;

  SmtpDialect(String ehloName) {
    this.ehloName = ehloName;
  }

  @Override
  public void startTls(MailConnection c) throws IOException, ProbeException {
    c.phase(MailConnection.Phase.GREETING);
    Reply greeting = readReply(c);
    c.greeting(greeting.text());
    if (greeting.code() != 220) {
      throw new ProbeException(
          greeting.isTemporary() ? FailureKind.TEMPORARILY_REFUSED : FailureKind.SERVICE_REFUSED,
          greeting.text());
    }
    c.phase(MailConnection.Phase.STARTTLS);
    c.writeLine("EHLO " + ehloName);
    Reply ehlo = readReply(c);
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
    Reply reply = readReply(c);
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
  static boolean inspectedByFirewall(Reply greeting, Reply ehlo) {
    boolean maskedKeyword =
        ehlo.lines().stream()
            .skip(1)
            .map(String::strip)
            .anyMatch(l -> MASKED_KEYWORD.matcher(l).matches());
    String banner = String.join(" ", greeting.lines()).replace(" ", "");
    boolean maskedBanner = banner.length() >= 8 && banner.chars().allMatch(ch -> ch == '*');
    return maskedKeyword || maskedBanner;
  }

  /** A complete, possibly multi-line reply: {@code 250-first}, …, {@code 250 last}. */
  static Reply readReply(MailConnection c) throws IOException, ProbeException {
    List<String> lines = new ArrayList<>();
    while (true) {
      String line = c.readLine();
      if (!REPLY_LINE.matcher(line).matches()) {
        throw new ProbeException(
            FailureKind.NOT_A_MAIL_SERVER, "not an SMTP reply: " + ServerText.clean(line, 80));
      }
      lines.add(line.length() > 4 ? line.substring(4) : "");
      boolean last = line.length() == 3 || line.charAt(3) == ' ';
      if (last) {
        return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
      }
      if (lines.size() >= MAX_REPLY_LINES) {
        throw new ProbeException(
            FailureKind.PROTOCOL_ERROR, "reply longer than " + MAX_REPLY_LINES + " lines");
      }
    }
  }

  record Reply(int code, List<String> lines) {
    /** 4xx: "try again later" (RFC 5321 4.2.1). */
    boolean isTemporary() {
      return code >= 400 && code < 500;
    }

    String text() {
      return code + " " + String.join(" ", lines);
    }
  }
}
