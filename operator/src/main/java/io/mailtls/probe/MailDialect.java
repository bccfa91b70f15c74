package io.mailtls.probe;

import java.io.IOException;

/**
 * The plain-text part of a mail protocol: read the greeting, check that STARTTLS is offered, ask
 * for it. When {@link #startTls} returns, the next bytes on the connection are TLS.
 */
interface MailDialect {

  void startTls(MailConnection connection) throws IOException, ProbeException;
}
