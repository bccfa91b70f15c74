package io.mailtls.probe;

/**
 * Why a connection did not show whether a version is accepted, or why a server refused a version.
 * Every way a probe can go wrong ends in one of these: never in a stack trace.
 */
public enum FailureKind {
  /** The host name does not resolve. */
  DNS_FAILURE(Stage.BEFORE_TLS),
  /** Nothing listens on the port (TCP RST). */
  CONNECTION_REFUSED(Stage.BEFORE_TLS),
  /** Another network error: no route, unreachable network. */
  CONNECTION_FAILED(Stage.BEFORE_TLS),
  CONNECT_TIMEOUT(Stage.BEFORE_TLS),
  /** Connected, but the server sent no (complete) greeting in time: a tarpit or a trickle. */
  GREETING_TIMEOUT(Stage.BEFORE_TLS),
  /** The capability or STARTTLS exchange did not finish in time. */
  STARTTLS_TIMEOUT(Stage.BEFORE_TLS),
  /** The server does not offer STARTTLS (SMTP EHLO, IMAP CAPABILITY, POP3 CAPA). */
  STARTTLS_NOT_ADVERTISED(Stage.BEFORE_TLS),
  /** The server answered the STARTTLS command with an error, e.g. {@code 454 4.7.0}. */
  STARTTLS_REFUSED(Stage.BEFORE_TLS),
  /** The server greeted with a refusal, e.g. SMTP {@code 554} or IMAP {@code * BYE}. */
  SERVICE_REFUSED(Stage.BEFORE_TLS),
  /** The peer does not speak the mail protocol: an HTTP reply, garbage, an endless line. */
  NOT_A_MAIL_SERVER(Stage.BEFORE_TLS),
  /** The peer speaks the protocol but broke its rules. */
  PROTOCOL_ERROR(Stage.BEFORE_TLS),

  /** The server answered the ClientHello with a TLS alert (named in the detail). */
  TLS_ALERT(Stage.HANDSHAKE),
  /** The server closed or reset the connection after the ClientHello (Exchange: SocketError). */
  HANDSHAKE_DROPPED(Stage.HANDSHAKE),
  /** The server chose another version than the only one offered. */
  OTHER_VERSION(Stage.HANDSHAKE),
  /** The server did not answer the ClientHello in time. */
  HANDSHAKE_TIMEOUT(Stage.HANDSHAKE),
  /** The server answered the ClientHello with something that is not TLS. */
  NOT_TLS(Stage.HANDSHAKE);

  /**
   * Where the failure happened. A failure before TLS means the version could not be tested; a
   * failure in the handshake is the server's answer: the version is not accepted.
   */
  public enum Stage {
    BEFORE_TLS,
    HANDSHAKE
  }

  private final Stage stage;

  FailureKind(Stage stage) {
    this.stage = stage;
  }

  public Stage stage() {
    return stage;
  }

  public boolean meansVersionRejected() {
    return stage == Stage.HANDSHAKE;
  }
}
