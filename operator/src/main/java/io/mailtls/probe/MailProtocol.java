package io.mailtls.probe;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The mail protocols the engine speaks, named by the URI scheme of an endpoint. */
public enum MailProtocol {
  SMTP("smtp", 25, Dialect.SMTP),
  SUBMISSION("submission", 587, Dialect.SMTP),
  SMTPS("smtps", 465, Dialect.IMPLICIT),
  IMAP("imap", 143, Dialect.IMAP),
  IMAPS("imaps", 993, Dialect.IMPLICIT),
  POP3("pop3", 110, Dialect.POP3),
  POP3S("pop3s", 995, Dialect.IMPLICIT);

  /**
   * How a connection reaches TLS: a plain-text STARTTLS dialogue, or TLS from the first byte. The
   * table of which class speaks each one is here, and nowhere else.
   */
  public enum Dialect {
    SMTP(SmtpDialect::new),
    IMAP(ehloName -> new ImapDialect()),
    POP3(ehloName -> new Pop3Dialect()),
    IMPLICIT(ehloName -> new ImplicitTlsDialect());

    private final Function<String, MailDialect> factory;

    Dialect(Function<String, MailDialect> factory) {
      this.factory = factory;
    }

    /** A fresh dialogue for one connection; {@code ehloName} is what SMTP gives in EHLO. */
    MailDialect create(String ehloName) {
      return factory.apply(ehloName);
    }
  }

  private final String scheme;
  private final int defaultPort;
  private final Dialect dialect;

  MailProtocol(String scheme, int defaultPort, Dialect dialect) {
    this.scheme = scheme;
    this.defaultPort = defaultPort;
    this.dialect = dialect;
  }

  public String scheme() {
    return scheme;
  }

  public int defaultPort() {
    return defaultPort;
  }

  public Dialect dialect() {
    return dialect;
  }

  public boolean usesStartTls() {
    return dialect != Dialect.IMPLICIT;
  }

  public static Optional<MailProtocol> fromScheme(String scheme) {
    String lower = scheme.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(p -> p.scheme.equals(lower)).findFirst();
  }

  public static String schemes() {
    return Arrays.stream(values()).map(MailProtocol::scheme).collect(Collectors.joining(", "));
  }
}
