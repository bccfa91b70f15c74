package io.mailtls.probe;

/** SMTPS, IMAPS, POP3S: TLS from the first byte, so there is nothing to say in plain text. */
final class ImplicitTlsDialect implements MailDialect {
  @Override
  public void startTls(MailConnection connection) {
    // The greeting of an implicit-TLS server is encrypted; it is not read.
  }
}
