package io.mailtls.receiver;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The receiver's certificate chain (DER, leaf first) and RSA key. RSA because the senders that
 * matter most here are old: a TLS 1.0 SCHANNEL client may know no ECDSA suite.
 */
public record ReceiverCertificate(List<byte[]> chain, AsymmetricKeyParameter privateKey) {

  public ReceiverCertificate {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a certificate chain needs at least one certificate");
    }
    if (!(privateKey instanceof RSAKeyParameters)) {
      throw new IllegalArgumentException("the receiver's key must be an RSA key");
    }
  }

  /** A chain and key from PEM files, as a Kubernetes TLS Secret (tls.crt, tls.key) holds them. */
  public static ReceiverCertificate fromPem(Path certificateFile, Path keyFile) throws IOException {
    List<byte[]> chain = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(certificateFile);
        PEMParser parser = new PEMParser(reader)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder holder) {
          chain.add(holder.getEncoded());
        }
      }
    }
    if (chain.isEmpty()) {
      throw new IOException(certificateFile + " holds no PEM certificate");
    }
    try (Reader reader = Files.newBufferedReader(keyFile);
        PEMParser parser = new PEMParser(reader)) {
      Object o = parser.readObject();
      PrivateKeyInfo key =
          switch (o) {
            case PEMKeyPair pair -> pair.getPrivateKeyInfo();
            case PrivateKeyInfo info -> info;
            case null, default ->
                throw new IOException(keyFile + " holds no unencrypted PEM private key");
          };
      try {
        return new ReceiverCertificate(chain, PrivateKeyFactory.createKey(key));
      } catch (IllegalArgumentException e) {
        throw new IOException(keyFile + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * A self-signed certificate for {@code hostName}, valid for a year: for a receiver without one.
   */
  public static ReceiverCertificate selfSigned(String hostName) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, new SecureRandom());
      KeyPair keys = generator.generateKeyPair();
      X500Name name = new X500Name("CN=" + hostName.replaceAll("[,+=\"\\\\<>;]", ""));
      Instant now = Instant.now();
      X509CertificateHolder certificate =
          new JcaX509v3CertificateBuilder(
                  name,
                  new BigInteger(64, new SecureRandom()),
                  Date.from(now.minus(Duration.ofHours(1))),
                  Date.from(now.plus(Duration.ofDays(365))),
                  name,
                  keys.getPublic())
              .addExtension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(new GeneralName(GeneralName.dNSName, hostName)))
              .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
      return new ReceiverCertificate(
          List.of(certificate.getEncoded()),
          PrivateKeyFactory.createKey(keys.getPrivate().getEncoded()));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot make a self-signed certificate: " + e, e);
    }
  }
}
