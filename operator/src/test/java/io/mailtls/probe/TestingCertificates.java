package io.mailtls.probe;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed certificates for tests, made with Bouncy Castle. */
final class TestingCertificates {
  private TestingCertificates() {}

  /**
   * A certificate for {@code CN=commonName}, valid from {@code notBefore} to {@code notAfter}
   * (whole seconds), signed by its own key with {@code signatureAlgorithm} (e.g. SHA256withRSA).
   */
  static X509Certificate selfSigned(
      KeyPair keys,
      String commonName,
      Instant notBefore,
      Instant notAfter,
      String signatureAlgorithm)
      throws Exception {
    X500Name name = new X500Name("CN=" + commonName);
    byte[] der =
        new JcaX509v3CertificateBuilder(
                name,
                BigInteger.valueOf(notBefore.getEpochSecond()),
                Date.from(notBefore),
                Date.from(notAfter),
                name,
                keys.getPublic())
            .build(new JcaContentSignerBuilder(signatureAlgorithm).build(keys.getPrivate()))
            .getEncoded();
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }
}
