package io.mailtls.probe;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Mail server software recognisable from what it says in plain text. Exchange is also recognised by
 * its private EHLO keywords, since many installations hide the product name in the banner.
 */
public enum ServerSoftware {
  MICROSOFT_EXCHANGE(
      "Microsoft Exchange",
      "Microsoft ESMTP MAIL Service|Microsoft Exchange|^(X-ANONYMOUSTLS|XEXCH50|XRDST|X-EXPS)\\b"),
  POSTFIX("Postfix", "\\bPostfix\\b"),
  DOVECOT("Dovecot", "\\bDovecot\\b"),
  EXIM("Exim", "\\bExim\\b"),
  SENDMAIL("Sendmail", "\\bSendmail\\b"),
  COURIER("Courier", "\\bCourier\\b"),
  CYRUS("Cyrus", "\\bCyrus\\b"),
  OPENSMTPD("OpenSMTPD", "\\bOpenSMTPD\\b"),
  HMAILSERVER("hMailServer", "\\bhMailServer\\b"),
  MDAEMON("MDaemon", "\\bMDaemon\\b"),
  ZIMBRA("Zimbra", "\\bZimbra\\b"),
  HCL_DOMINO("HCL/Lotus Domino", "\\bDomino\\b"),
  UNKNOWN("unknown", "(?!)");

  private final String displayName;
  private final Pattern pattern;

  ServerSoftware(String displayName, String regex) {
    this.displayName = displayName;
    this.pattern = Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
  }

  public String displayName() {
    return displayName;
  }

  /** The first product any line of the plain-text dialogue names, or UNKNOWN. */
  public static ServerSoftware detect(List<String> lines) {
    for (ServerSoftware software : values()) {
      for (String line : lines) {
        // SMTP reply lines keep their "250-" prefix in the transcript; keywords follow it.
        String text =
            line.length() > 4 && Character.isDigit(line.charAt(0)) ? line.substring(4) : line;
        if (software.pattern.matcher(text).find()) {
          return software;
        }
      }
    }
    return UNKNOWN;
  }
}
