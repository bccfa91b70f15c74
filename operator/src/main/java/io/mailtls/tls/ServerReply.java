package io.mailtls.tls;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** How a server answered a ClientHello, as read off the wire by {@link ServerReplyReader}. */
public sealed interface ServerReply {

  /**
   * A ServerHello (or HelloRetryRequest). For versions up to TLS 1.2 the certificate chain travels
   * in the clear right after it and is captured when it fits the read limit.
   */
  record Hello(int version, int cipherSuite, boolean helloRetryRequest, List<byte[]> certificates)
      implements ServerReply {
    /** The certificates as X.509; throws when one of them is not a certificate. */
    public List<X509Certificate> chain() throws CertificateException {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      List<X509Certificate> chain = new ArrayList<>();
      for (byte[] der : certificates) {
        chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      }
      return chain;
    }
  }

  record Alert(int level, int description) implements ServerReply {
    public String name() {
      return TlsAlerts.name(description);
    }
  }

  /** The server closed the connection (FIN) before answering. */
  record Closed() implements ServerReply {}

  /** The answer is not TLS at all; {@code preview} is the start of it, sanitized. */
  record NotTls(String preview) implements ServerReply {}

  /** TLS, but no answer either way (a storm of warnings): the version stays untested. */
  record Inconclusive(String why) implements ServerReply {}
}
