package io.mailtls.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Tests one protocol version on one fresh connection: connect, the dialect's STARTTLS dialogue, a
 * ClientHello offering only that version, and the server's answer.
 */
final class VersionProber {
  /** Enough for a ServerHello plus a long certificate chain; more is not read. */
  static final int MAX_HANDSHAKE_BYTES = 256 * 1024;

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
      target.endpoint().protocol().dialect().start(ehloName).startTls(connection);
      connection.phase(MailConnection.Phase.HANDSHAKE);
      connection.write(helloBuilder.build(version, target.serverName()));
      ServerReply reply = new ServerReplyReader(connection.input(), MAX_HANDSHAKE_BYTES).read();
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
   * For a server that accepts only TLS 1.3 the certificate is encrypted, so the JDK's TLS stack
   * completes a handshake to read it. Trust is not decided here: the chain is only captured and
   * then validated by {@link CertificateInspector}; no data is ever sent over this session.
   */
  List<X509Certificate> fetchTls13Chain(Destination target, Instant deadline) {
    try (MailConnection connection = MailConnection.open(target.address(), deadline)) {
      target.endpoint().protocol().dialect().start(ehloName).startTls(connection);
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(null, new TrustManager[] {new CapturingTrustManager()}, null);
      try (SSLSocket tls =
          (SSLSocket)
              context
                  .getSocketFactory()
                  .createSocket(
                      connection.socket(),
                      target.address().getHostString(),
                      target.address().getPort(),
                      false)) {
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.3"});
        if (target.serverName() != null) {
          parameters.setServerNames(List.of(new SNIHostName(target.serverName())));
        }
        tls.setSSLParameters(parameters);
        tls.setSoTimeout((int) Math.max(1, connection.timeLeft().toMillis()));
        tls.startHandshake();
        return Arrays.stream(tls.getSession().getPeerCertificates())
            .map(X509Certificate.class::cast)
            .toList();
      }
    } catch (ProbeException | IOException | GeneralSecurityException | IllegalArgumentException e) {
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
        return CertificateInspector.parse(hello.certificates());
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
