package io.mailtls.probe;

import static io.mailtls.tls.TlsVersion.TLS_1_2;
import static io.mailtls.tls.TlsVersion.TLS_1_3;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * An implicit-TLS endpoint's greeting comes after the handshake: TLS 1.2 and 1.3 are tested by
 * handshakes that complete and read it, on the connections that test the versions.
 */
class ImplicitTlsGreetingTest {
  private final EndpointProber prober =
      new EndpointProber(ProbeSettings.defaults().withTimeout(Duration.ofSeconds(5)));

  @Test
  void theGreetingIsReadOnTheVersionsOwnConnections() throws Exception {
    try (var server =
        greetingTlsServer("* OK [CAPABILITY IMAP4rev1] Dovecot ready.", "TLSv1.3", "TLSv1.2")) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.IMAPS), "mail.test").only();

      assertThat(result.acceptedVersions()).containsExactly(TLS_1_2, TLS_1_3);
      assertThat(result.banner()).isEqualTo("* OK [CAPABILITY IMAP4rev1] Dovecot ready.");
      assertThat(result.serverSoftware()).isEqualTo(ServerSoftware.DOVECOT);
      assertThat(result.certificate().subject()).isEqualTo("CN=mail.test");
      // One connection per version (SSLv3 to TLS 1.3): none to read the greeting.
      assertThat(server.connections()).isEqualTo(5);
    }
  }

  @Test
  void withoutTls13TheGreetingIsReadOnTheTls12Connection() throws Exception {
    try (var server = greetingTlsServer("+OK Dovecot ready.", "TLSv1.2")) {
      EndpointResult result = prober.probe(server.endpoint(MailProtocol.POP3S), "mail.test").only();

      assertThat(result.acceptedVersions()).containsExactly(TLS_1_2);
      assertThat(result.versions().get(4).failure())
          .isEqualTo(Failure.of(FailureKind.TLS_ALERT, "protocol_version"));
      assertThat(result.banner()).isEqualTo("+OK Dovecot ready.");
      assertThat(result.serverSoftware()).isEqualTo(ServerSoftware.DOVECOT);
      assertThat(server.connections()).isEqualTo(5);
    }
  }

  @Test
  void onlyTheServersOwnVersionAnswerCountsAsARejection() {
    // JDK 25 names the alert first.
    assertThat(
            VersionProber.versionRejection(
                new SSLHandshakeException(
                    "(protocol_version) Received fatal alert: protocol_version")))
        .isEqualTo(Failure.of(FailureKind.TLS_ALERT, "protocol_version"));
    assertThat(
            VersionProber.versionRejection(
                new SSLHandshakeException("Received fatal alert: protocol_version")))
        .isEqualTo(Failure.of(FailureKind.TLS_ALERT, "protocol_version"));
    assertThat(
            VersionProber.versionRejection(
                new SSLHandshakeException(
                    "The server selected protocol version TLS12 is not accepted by client"
                        + " preferences [TLS13]")))
        .isEqualTo(Failure.of(FailureKind.OTHER_VERSION, "server chose TLSv1.2"));
    // About the JDK's offer, not the version: the probe decides these.
    assertThat(
            VersionProber.versionRejection(
                new SSLHandshakeException("Received fatal alert: handshake_failure")))
        .isNull();
    assertThat(
            VersionProber.versionRejection(
                new SSLHandshakeException("Remote host terminated the handshake")))
        .isNull();
  }

  /**
   * A JSSE server for {@code protocols} on each connection of a {@link TestingMailServer}: it
   * greets after the handshake and waits for the prober to hang up.
   */
  private static TestingMailServer greetingTlsServer(String greeting, String... protocols)
      throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509");
    keys.init(keyStore("mail.test"), new char[0]);
    context.init(keys.getKeyManagers(), null, null);
    return TestingMailServer.start(
        peer -> {
          SSLSocket tls =
              (SSLSocket)
                  context
                      .getSocketFactory()
                      .createSocket(peer.socket, peer.in, true); // layered, server side
          tls.setEnabledProtocols(protocols);
          tls.setSoTimeout(5_000);
          tls.startHandshake(); // a version probe that stops at the ServerHello ends here
          tls.getOutputStream().write((greeting + "\r\n").getBytes(StandardCharsets.US_ASCII));
          tls.getOutputStream().flush();
          tls.getInputStream().read(); // until the prober hangs up
        });
  }

  private static KeyStore keyStore(String name) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    Instant now = Instant.now();
    X509Certificate certificate =
        TestingCertificates.selfSigned(
            pair,
            name,
            now.minus(Duration.ofHours(1)),
            now.plus(Duration.ofDays(1)),
            "SHA256withRSA");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", pair.getPrivate(), new char[0], new Certificate[] {certificate});
    return store;
  }
}
