package io.mailtls.probe;

import io.mailtls.text.ServerText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A complete SMTP reply, possibly of several lines: {@code 250-first}, …, {@code 250 last} (RFC
 * 5321 4.2.1). The one multi-line rule, for the STARTTLS dialogue and an SMTPS greeting alike.
 *
 * @param lines the text of each line, without the code
 */
record SmtpReply(int code, List<String> lines) {
  // DOTALL: a reply's text may hold a stray CR or a byte 0x85 (cp1252's "…", NEL in Latin-1),
  // which "." alone would not match; such a server is still a mail server.
  private static final Pattern LINE = Pattern.compile("\\d{3}([ -].*)?", Pattern.DOTALL);
  private static final int MAX_LINES = 100;

  static SmtpReply read(MailLineReader in) throws IOException, ProbeException {
    List<String> lines = new ArrayList<>();
    while (true) {
      String line = in.readLine();
      if (!LINE.matcher(line).matches()) {
        throw new ProbeException(
            FailureKind.NOT_A_MAIL_SERVER, "not an SMTP reply: " + ServerText.clean(line, 80));
      }
      lines.add(line.length() > 4 ? line.substring(4) : "");
      if (!continues(line)) {
        return new SmtpReply(Integer.parseInt(line.substring(0, 3)), lines);
      }
      if (lines.size() >= MAX_LINES) {
        throw new ProbeException(
            FailureKind.PROTOCOL_ERROR, "reply longer than " + MAX_LINES + " lines");
      }
    }
  }

  /** True for a reply line that another line of the same reply follows ({@code 250-…}). */
  static boolean continues(String line) {
    return LINE.matcher(line).matches() && line.length() > 3 && line.charAt(3) == '-';
  }

  /** 4xx: "try again later" (RFC 5321 4.2.1). */
  boolean isTemporary() {
    return code >= 400 && code < 500;
  }

  String text() {
    return code + " " + String.join(" ", lines);
  }
}
