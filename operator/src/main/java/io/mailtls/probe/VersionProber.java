package io.mailtls.probe;

import io.mailtls.tls.CipherSuites;
import io.mailtls.tls.ClientHelloBuilder;
import io.mailtls.tls.ServerReply;
import io.mailtls.tls.ServerReplyReader;
import io.mailtls.tls.TlsVersion;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Tests one protocol version on one fresh connection: connect, the dialect's STARTTLS dialogue, a
 * ClientHello offering only that version, and the server's answer.
 */
final class VersionProber {
  /**
   * Where one connection goes: the address that was resolved (and checked by the guard), and the
   * name to present in SNI (null: none).
   */
  record Destination(Endpoint endpoint, InetSocketAddress address, String serverName) {}

  /** What one connection learned: the version's result and what the server said on the way. */
  record Attempt(
      VersionResult result,
      String greeting,
      List<String> transcript,
      List<X509Certificate> chain) {}

  private final ClientHelloBuilder helloBuilder = new ClientHelloBuilder(new SecureRandom());
  private final String ehloName;

  VersionProber(String ehloName) {
    this.ehloName = ehloName;
  }

  Attempt probe(Destination target, TlsVersion version, Instant deadline) {
    long start = System.nanoTime();
    MailConnection connection = null;
    try {
      connection = MailConnection.open(target.address(), deadline);
      target.endpoint().protocol().dialect().create(ehloName).startTls(connection);
      connection.phase(MailConnection.Phase.HANDSHAKE);
      connection.write(helloBuilder.build(version, target.serverName()));
      ServerReply reply =
          new ServerReplyReader(connection.input(), ServerReplyReader.MAX_HANDSHAKE_BYTES).read();
      return attempt(connection, interpret(version, reply, millisSince(start)), chainOf(reply));
    } catch (ProbeException e) {
      return attempt(
          connection, VersionResult.failed(version, e.failure(), millisSince(start)), null);
    } catch (IOException e) {
      return attempt(
          connection,
          VersionResult.failed(version, classify(connection, e), millisSince(start)),
          null);
    } finally {
      if (connection != null) {
        connection.close();
      }
    }
  }

  /**
   * What a handshake the JDK completed showed: the version and suite agreed, the chain, and an
   * implicit-TLS greeting. {@link #NONE} when it did not complete.
   */
  record Session(
      String protocol, String cipherSuite, List<X509Certificate> chain, List<String> greeting) {
    static final Session NONE = new Session(null, null, List.of(), List.of());
  }

  /**
   * An implicit-TLS endpoint's TLS 1.2 or 1.3, tested by a handshake that the JDK completes, so
   * that the greeting (which names the server software) is read on the same connection: accepted
   * when the handshake completed at exactly {@code version}. Null when it did not complete: the JDK
   * offers fewer suites and groups than {@link #probe} and refuses some signatures, so a failed
   * handshake proves nothing, and the probe decides then.
   */
  Attempt probeByHandshake(Destination target, TlsVersion version, Instant deadline) {
    long start = System.nanoTime();
    try {
      Session session = handshake(target, version, deadline);
      if (!version.label().equals(session.protocol())) {
        return null;
      }
      List<String> greeting = session.greeting();
      return new Attempt(
          VersionResult.accepted(version, session.cipherSuite(), millisSince(start)),
          greeting.isEmpty() ? null : greeting.getFirst(),
          greeting,
          session.chain());
    } catch (ProbeException e) {
      // No connection at all: the probe would meet the same refusal or silence, only later.
      return failedAttempt(version, e.failure(), start);
    } catch (SSLHandshakeException e) {
      Failure rejection = versionRejection(e);
      return rejection == null ? null : failedAttempt(version, rejection, start);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      // A timeout too: the JDK's hello is not the probe's, and some middleboxes stall on one size.
      return null;
    }
  }

  private static Attempt failedAttempt(TlsVersion version, Failure failure, long startNanos) {
    return attempt(null, VersionResult.failed(version, failure, millisSince(startNanos)), null);
  }

  /**
   * The server's own answer that it does not take this version, as the probe would report it: a
   * protocol_version alert, or a ServerHello for another version (which the JDK refuses). Null for
   * any other failure: a handshake_failure, say, may be about the JDK's suites, not the version.
   */
  static Failure versionRejection(SSLHandshakeException e) {
    // JDK 25 puts the alert's name in front: "(protocol_version) Received fatal alert: …".
    String message = String.valueOf(e.getMessage()).replaceFirst("^\\(\\w+\\) ", "");
    if (message.equals("Received fatal alert: protocol_version")) {
      return Failure.of(FailureKind.TLS_ALERT, "protocol_version");
    }
    Matcher chose = SERVER_CHOSE.matcher(message);
    if (chose.find()) {
      TlsVersion other = JDK_VERSION_NAMES.get(chose.group(1));
      if (other != null) {
        return Failure.of(
            FailureKind.OTHER_VERSION, "server chose " + TlsVersion.describe(other.code()));
      }
    }
    return null;
  }

  /** How the JDK says that the server chose a version it was not offered. */
  private static final Pattern SERVER_CHOSE =
      Pattern.compile("^The server selected protocol version (\\w+) is not accepted");

  private static final Map<String, TlsVersion> JDK_VERSION_NAMES =
      Map.of(
          "SSL30", TlsVersion.SSL_3_0,
          "TLS10", TlsVersion.TLS_1_0,
          "TLS11", TlsVersion.TLS_1_1,
          "TLS12", TlsVersion.TLS_1_2,
          "TLS13", TlsVersion.TLS_1_3);

  /**
   * How long an implicit-TLS greeting is waited for after the handshake: mail servers greet at
   * once, and a TLS-only peer that never greets must not cost the probe its whole timeout.
   */
  static final Duration GREETING_WAIT = Duration.ofMillis(1500);

  /**
   * Completes one handshake with the JDK's TLS stack at {@code version} (TLS 1.2 or 1.3). For a
   * server that accepts only TLS 1.3 the certificate is encrypted, so this is how its chain is
   * read; for an implicit-TLS endpoint (smtps, imaps, pop3s) the greeting, which names the server
   * software, comes only after a handshake. Trust is not decided here: the chain is captured and
   * then validated by {@link CertificateInspector}; nothing is ever sent over this session.
   */
  Session completeHandshake(Destination target, TlsVersion version, Instant deadline) {
    try {
      return handshake(target, version, deadline);
    } catch (ProbeException | IOException | GeneralSecurityException | IllegalArgumentException e) {
      return Session.NONE;
    }
  }

  private Session handshake(Destination target, TlsVersion version, Instant deadline)
      throws ProbeException, IOException, GeneralSecurityException {
    try (MailConnection connection = MailConnection.open(target.address(), deadline)) {
      target.endpoint().protocol().dialect().create(ehloName).startTls(connection);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new CapturingTrustManager()}, null);
      try (SSLSocket tls =
          (SSLSocket)
              context
                  .getSocketFactory()
                  .createSocket(
                      connection.socket(),
                      target.address().getHostString(),
                      target.address().getPort(),
                      // true: closing does not wait for the server's close_notify
                      true)) {
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setProtocols(new String[] {version.label()});
        if (target.serverName() != null) {
          parameters.setServerNames(List.of(new SNIHostName(target.serverName())));
        }
        tls.setSSLParameters(parameters);
        tls.setSoTimeout((int) Math.max(1, connection.timeLeft().toMillis()));
        tls.startHandshake();
        List<X509Certificate> chain =
            Arrays.stream(tls.getSession().getPeerCertificates())
                .map(X509Certificate.class::cast)
                .toList();
        List<String> greeting =
            target.endpoint().protocol().usesStartTls() ? List.of() : greeting(tls, connection);
        return new Session(
            tls.getSession().getProtocol(), tls.getSession().getCipherSuite(), chain, greeting);
      }
    }
  }

  /** The implicit-TLS greeting after the handshake, waited for at most {@link #GREETING_WAIT}. */
  private static List<String> greeting(SSLSocket tls, MailConnection connection) {
    try {
      tls.setSoTimeout(
          (int) Math.max(1, Math.min(GREETING_WAIT.toMillis(), connection.timeLeft().toMillis())));
      return ImplicitTlsDialect.readGreeting(
          new MailLineReader(
              tls.getInputStream(), () -> "server closed the connection after the handshake"));
    } catch (IOException e) {
      return List.of();
    }
  }

  private static VersionResult interpret(TlsVersion version, ServerReply reply, long millis) {
    return switch (reply) {
      case ServerReply.Hello hello when hello.version() == version.code() ->
          VersionResult.accepted(version, CipherSuites.name(hello.cipherSuite()), millis);
      case ServerReply.Hello hello ->
          VersionResult.failed(
              version,
              Failure.of(
                  FailureKind.OTHER_VERSION,
                  "server chose " + TlsVersion.describe(hello.version())),
              millis);
      case ServerReply.Alert alert ->
          VersionResult.failed(version, Failure.of(FailureKind.TLS_ALERT, alert.name()), millis);
      case ServerReply.Closed closed ->
          VersionResult.failed(
              version,
              Failure.of(FailureKind.HANDSHAKE_DROPPED, "server closed the connection"),
              millis);
      case ServerReply.NotTls notTls ->
          VersionResult.failed(version, Failure.of(FailureKind.NOT_TLS, notTls.preview()), millis);
      case ServerReply.Inconclusive inconclusive ->
          VersionResult.failed(
              version, Failure.of(FailureKind.PROTOCOL_ERROR, inconclusive.why()), millis);
    };
  }

  private static List<X509Certificate> chainOf(ServerReply reply) {
    if (reply instanceof ServerReply.Hello hello && !hello.certificates().isEmpty()) {
      try {
        return hello.chain();
      } catch (CertificateException e) {
        return null; // an unparseable chain is reported as "no certificate"
      }
    }
    return null;
  }

  private static Failure classify(MailConnection connection, IOException e) {
    MailConnection.Phase phase =
        connection == null ? MailConnection.Phase.CONNECT : connection.phase();
    if (e instanceof SocketTimeoutException || (connection != null && connection.expired())) {
      return Failure.of(phase.timeout, "no answer before the deadline");
    }
    if (phase == MailConnection.Phase.HANDSHAKE) {
      return Failure.of(FailureKind.HANDSHAKE_DROPPED, e.getMessage());
    }
    return Failure.of(FailureKind.PROTOCOL_ERROR, "connection lost: " + e.getMessage());
  }

  private static Attempt attempt(
      MailConnection connection, VersionResult result, List<X509Certificate> chain) {
    return connection == null
        ? new Attempt(result, null, List.of(), chain)
        : new Attempt(result, connection.greeting(), connection.transcript(), chain);
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /**
   * Accepts any chain: the chain is inspected, not trusted, and no data is exchanged. Extended so
   * that JSSE uses it as it is instead of wrapping it in checks of its own.
   */
  private static final class CapturingTrustManager extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
