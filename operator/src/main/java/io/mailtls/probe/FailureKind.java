package io.mailtls.probe;

import io.mailtls.dns.DnsProblem;

/**
 * Why a connection did not show whether a version is accepted, or why a server refused a version.
 * Every way a probe can go wrong ends in one of these: never in a stack trace.
 */
public enum FailureKind {
  /** The host name does not resolve, for a reason the system resolver does not tell. */
  DNS_FAILURE(false),
  /** NXDOMAIN: the name does not exist. */
  DNS_NAME_NOT_FOUND(false),
  /** The name exists but has no A or AAAA record. */
  DNS_NO_ADDRESS(false),
  /** The DNS server answered SERVFAIL, REFUSED or another error, or could not be reached. */
  DNS_SERVER_FAILURE(false),
  /** No DNS answer before the deadline. */
  DNS_TIMEOUT(false),
  /** The connection guard refuses the address or port: nothing was sent. */
  FORBIDDEN(false),
  /** Nothing listens on the port (TCP RST). */
  CONNECTION_REFUSED(false),
  /** Another network error: no route, unreachable network. */
  CONNECTION_FAILED(false),
  CONNECT_TIMEOUT(false),
  /** Connected, but the server sent no (complete) greeting in time: a tarpit or a trickle. */
  GREETING_TIMEOUT(false),
  /** The capability or STARTTLS exchange did not finish in time. */
  STARTTLS_TIMEOUT(false),
  /** The server does not offer STARTTLS (SMTP EHLO, IMAP CAPABILITY, POP3 CAPA). */
  STARTTLS_NOT_ADVERTISED(false),
  /** The server answered the STARTTLS command with an error, e.g. {@code 454 4.7.0}. */
  STARTTLS_REFUSED(false),
  /** The server greeted with a lasting refusal, e.g. SMTP {@code 554}. */
  SERVICE_REFUSED(false),
  /**
   * The server said "not now": a 4xx reply at the greeting, to EHLO or to STARTTLS, an IMAP {@code
   * * BYE} greeting or {@code NO} to STARTTLS, a POP3 {@code [IN-USE]}/{@code [SYS/TEMP]} error: a
   * rate limit, greylisting, too many connections. Never evidence that STARTTLS is missing.
   */
  TEMPORARILY_REFUSED(false),
  /**
   * A firewall's SMTP inspection hides STARTTLS: a masked banner ({@code 220 ****}) or EHLO
   * keywords replaced by {@code XXXXXXXA} (Cisco ASA/PIX {@code inspect esmtp}).
   */
  STARTTLS_STRIPPED(false),
  /** The peer does not speak the mail protocol: an HTTP reply, garbage, an endless line. */
  NOT_A_MAIL_SERVER(false),
  /** The peer speaks the protocol but broke its rules. */
  PROTOCOL_ERROR(false),
  /**
   * The engine itself failed on this endpoint (a bug, named in the detail): nothing is known about
   * any version, and nothing is retried until the next round.
   */
  PROBE_ERROR(false),
  /**
   * One of this operator's own connection limits stayed full: the total (other endpoints held every
   * slot for the total wait limit), or the host's (other connections to the same host held its
   * slots until the endpoint's deadline). Nothing was sent, so nothing is known, and it is not the
   * endpoint's fault.
   */
  OPERATOR_BUSY(false),
  /** This operator ran out of something of its own, such as file descriptors: nothing is known. */
  LOCAL_RESOURCES(false),
  /** The scan's overall deadline passed before this endpoint was probed to the end. */
  DEADLINE_EXCEEDED(false),

  /** The server answered the ClientHello with a TLS alert (named in the detail). */
  TLS_ALERT(true),
  /** The server closed or reset the connection after the ClientHello (Exchange: SocketError). */
  HANDSHAKE_DROPPED(true),
  /** The server chose another version than the only one offered. */
  OTHER_VERSION(true),
  /**
   * The server did not answer the ClientHello in time. A slow or overloaded server looks the same
   * as one that ignores the version, so this says nothing about the version.
   */
  HANDSHAKE_TIMEOUT(false),
  /** The server answered the ClientHello with something that is not TLS. */
  NOT_TLS(true);

  private final boolean rejectsVersion;

  FailureKind(boolean rejectsVersion) {
    this.rejectsVersion = rejectsVersion;
  }

  /**
   * True when this is the server's answer to the ClientHello, so the version is not accepted; false
   * when the version could not be tested.
   */
  public boolean meansVersionRejected() {
    return rejectsVersion;
  }

  /**
   * True when the failure is the operator's own (its limits, its resources, a bug), not the
   * server's: it must not change what is known of the endpoint.
   */
  public boolean isLocal() {
    return this == PROBE_ERROR
        || this == OPERATOR_BUSY
        || this == LOCAL_RESOURCES
        || this == DEADLINE_EXCEEDED;
  }

  /**
   * True when the server may only have refused this connection because others were open (or came
   * too fast): the versions it left untested are worth one more try, one connection at a time.
   */
  public boolean mayBeConcurrencyRefusal() {
    return this == TEMPORARILY_REFUSED || this == SERVICE_REFUSED;
  }

  /** The failure class of a DNS look-up that gave no usable answer. */
  public static FailureKind of(DnsProblem.Kind kind) {
    return switch (kind) {
      case NAME_NOT_FOUND -> DNS_NAME_NOT_FOUND;
      case NO_ADDRESS -> DNS_NO_ADDRESS;
      case SERVER_FAILURE -> DNS_SERVER_FAILURE;
      case TIMEOUT -> DNS_TIMEOUT;
      case UNSPECIFIED -> DNS_FAILURE;
    };
  }

  /** The CamelCase form used as a Kubernetes reason and metric label, e.g. ConnectionRefused. */
  public String reason() {
    StringBuilder camel = new StringBuilder();
    for (String word : name().split("_")) {
      camel.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return camel.toString().replace("Starttls", "StartTLS").replace("Tls", "TLS");
  }
}
