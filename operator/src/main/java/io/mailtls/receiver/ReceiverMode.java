package io.mailtls.receiver;

import io.mailtls.tls.TlsVersion;

/** Which peer the test receiver stands in for. */
public enum ReceiverMode {
  /**
   * Like Exchange Online: STARTTLS before MAIL FROM, TLS 1.2 or newer. A sender that offers nothing
   * newer is recorded and then refused, which is what gives it "421 4.4.2 Connection dropped due to
   * SocketError" against Office 365.
   */
  EXCHANGE_ONLINE("exchange-online", TlsVersion.TLS_1_2, true),
  /**
   * Accepts TLS 1.0 to 1.3 and plaintext, so that any sender reaches DATA and reads its finding in
   * the bounce: to learn a sender's best.
   */
  ANY_VERSION("any-version", TlsVersion.TLS_1_0, false);

  private final String label;
  private final TlsVersion lowestAccepted;
  private final boolean startTlsRequired;

  ReceiverMode(String label, TlsVersion lowestAccepted, boolean startTlsRequired) {
    this.label = label;
    this.lowestAccepted = lowestAccepted;
    this.startTlsRequired = startTlsRequired;
  }

  public String label() {
    return label;
  }

  public TlsVersion lowestAccepted() {
    return lowestAccepted;
  }

  public boolean startTlsRequired() {
    return startTlsRequired;
  }

  public static ReceiverMode fromLabel(String label) {
    for (ReceiverMode mode : values()) {
      if (mode.label.equalsIgnoreCase(label) || mode.name().equalsIgnoreCase(label)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "unknown receiver mode '" + label + "': expected exchange-online or any-version");
  }

  @Override
  public String toString() {
    return label;
  }
}
