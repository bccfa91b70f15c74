package io.mailtls.receiver;

import io.mailtls.tls.TlsAlerts;
import java.io.IOException;
import java.util.Vector;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedDecryptor;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedDecryptor;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The server side of one handshake, on Bouncy Castle's TLS stack: it speaks the versions of the
 * receiver's mode, TLS 1.0 included where the mode allows it, without loosening the JVM's own
 * security properties (the same JVM talks to the Kubernetes API).
 */
final class ReceiverTlsServer extends DefaultTlsServer {
  /**
   * Static-RSA suites: all that some senders (Windows Server 2003/2008) offer. Accepted in both
   * modes: the question is the version a sender reaches, and whether Office 365 still takes a given
   * suite is not for this receiver to decide (the status shows modernSuitesOffered).
   */
  private static final int[] LEGACY_SUITES = {
    CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA,
    CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
    CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
  };

  private final ReceiverMode mode;
  private final ReceiverCertificate certificate;
  private String alertReceived;
  private boolean suiteSelected;

  ReceiverTlsServer(BcTlsCrypto crypto, ReceiverMode mode, ReceiverCertificate certificate) {
    super(crypto);
    this.mode = mode;
    this.certificate = certificate;
  }

  /**
   * The version agreed in the ServerHello, as a wire code, or -1 when the handshake ended before a
   * version and a cipher suite were both agreed. A handshake that fails later (the sender does not
   * trust the receiver's certificate) has still shown that the sender can use this version.
   */
  int agreedVersionCode() {
    ProtocolVersion version = context == null ? null : context.getServerVersion();
    return suiteSelected && version != null ? version.getFullVersion() : -1;
  }

  @Override
  public int getSelectedCipherSuite() throws IOException {
    int suite = super.getSelectedCipherSuite();
    suiteSelected = true;
    return suite;
  }

  /** The alert the sender sent, by name, if it sent one. */
  String alertReceived() {
    return alertReceived;
  }

  @Override
  protected ProtocolVersion[] getSupportedVersions() {
    ProtocolVersion lowest =
        ProtocolVersion.get(
            mode.lowestAccepted().code() >>> 8, mode.lowestAccepted().code() & 0xFF);
    return ProtocolVersion.TLSv13.downTo(lowest);
  }

  @Override
  protected int[] getSupportedCipherSuites() {
    int[] modern = super.getSupportedCipherSuites();
    if (mode == ReceiverMode.EXCHANGE_ONLINE) {
      return modern;
    }
    int[] all = new int[modern.length + LEGACY_SUITES.length];
    System.arraycopy(modern, 0, all, 0, modern.length);
    System.arraycopy(LEGACY_SUITES, 0, all, modern.length, LEGACY_SUITES.length);
    return TlsUtils.getSupportedCipherSuites(getCrypto(), all);
  }

  @Override
  public TlsCredentials getCredentials() throws IOException {
    if (TlsUtils.isTLSv13(context)) {
      return signer(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256);
    }
    return super.getCredentials();
  }

  @Override
  protected TlsCredentialedSigner getRSASignerCredentials() throws IOException {
    if (!TlsUtils.isTLSv12(context)) {
      return signer(null); // TLS 1.0/1.1 sign with MD5+SHA1; no algorithm to choose
    }
    Vector<?> offered = context.getSecurityParametersHandshake().getClientSigAlgs();
    if (offered == null) {
      return signer(
          SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha1, SignatureAlgorithm.rsa));
    }
    for (Object o : offered) {
      SignatureAndHashAlgorithm algorithm = (SignatureAndHashAlgorithm) o;
      short signature = algorithm.getSignature();
      if (signature == SignatureAlgorithm.rsa
          || signature == SignatureAlgorithm.rsa_pss_rsae_sha256
          || signature == SignatureAlgorithm.rsa_pss_rsae_sha384
          || signature == SignatureAlgorithm.rsa_pss_rsae_sha512) {
        return signer(algorithm);
      }
    }
    return null; // no RSA signature the client accepts: the handshake fails, and is recorded so
  }

  @Override
  protected TlsCredentialedDecryptor getRSAEncryptionCredentials() throws IOException {
    return new BcDefaultTlsCredentialedDecryptor(
        (BcTlsCrypto) getCrypto(), chain(), certificate.privateKey());
  }

  @Override
  public void notifyAlertReceived(short alertLevel, short alertDescription) {
    if (alertLevel == AlertLevel.fatal || alertReceived == null) {
      alertReceived = TlsAlerts.name(alertDescription);
    }
  }

  @Override
  public void notifyAlertRaised(
      short alertLevel, short alertDescription, String message, Throwable cause) {
    // Recorded by the session from the exception; Bouncy Castle's default prints to stderr.
  }

  private TlsCredentialedSigner signer(SignatureAndHashAlgorithm algorithm) throws IOException {
    return new BcDefaultTlsCredentialedSigner(
        new TlsCryptoParameters(context),
        (BcTlsCrypto) getCrypto(),
        certificate.privateKey(),
        chain(),
        algorithm);
  }

  private Certificate chain() throws IOException {
    TlsCertificate[] certificates = new TlsCertificate[certificate.chain().size()];
    for (int i = 0; i < certificates.length; i++) {
      certificates[i] = getCrypto().createCertificate(certificate.chain().get(i));
    }
    if (!TlsUtils.isTLSv13(context)) {
      return new Certificate(certificates);
    }
    CertificateEntry[] entries = new CertificateEntry[certificates.length];
    for (int i = 0; i < certificates.length; i++) {
      entries[i] = new CertificateEntry(certificates[i], null);
    }
    return new Certificate(TlsUtils.EMPTY_BYTES, entries);
  }
}
