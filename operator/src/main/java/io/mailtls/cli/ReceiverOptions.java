package io.mailtls.cli;

import io.mailtls.receiver.ReceiverCertificate;
import io.mailtls.receiver.ReceiverLimits;
import io.mailtls.receiver.ReceiverMode;
import io.mailtls.receiver.ReceiverSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The test receiver's options, shared by {@code mailtls receive} and {@code mailtls operator}. */
final class ReceiverOptions {
  @Option(
      names = "--receiver-host-name",
      defaultValue = "${env:MAILTLS_RECEIVER_HOST_NAME:-mailtls-receiver.invalid}",
      description =
          "The name in the receiver's greeting, EHLO reply and self-signed certificate (default:"
              + " ${DEFAULT-VALUE}).")
  String hostName;

  @Option(
      names = "--receiver-mode",
      defaultValue = "${env:MAILTLS_RECEIVER_MODE:-exchange-online}",
      converter = ModeConverter.class,
      description =
          "exchange-online: STARTTLS required, TLS 1.2 and newer, as Office 365 behaves;"
              + " any-version: TLS 1.0 to 1.3 and plaintext, so that every sender reads its"
              + " finding in the bounce (default: ${DEFAULT-VALUE}).")
  ReceiverMode mode;

  @Option(
      names = "--receiver-tls-cert",
      defaultValue = "${env:MAILTLS_RECEIVER_TLS_CERT}",
      description =
          "PEM certificate chain of the receiver (tls.crt of a Kubernetes TLS Secret). Without"
              + " it, a self-signed certificate is made at start.")
  Path certificate;

  @Option(
      names = "--receiver-tls-key",
      defaultValue = "${env:MAILTLS_RECEIVER_TLS_KEY}",
      description = "PEM RSA private key that goes with --receiver-tls-cert (tls.key).")
  Path key;

  ReceiverSettings settings(CommandLine commandLine, InetSocketAddress listen) throws IOException {
    if ((certificate == null) != (key == null)) {
      throw new CommandLine.ParameterException(
          commandLine, "--receiver-tls-cert and --receiver-tls-key go together");
    }
    ReceiverCertificate tls =
        certificate == null
            ? ReceiverCertificate.selfSigned(hostName)
            : ReceiverCertificate.fromPem(certificate, key);
    return new ReceiverSettings(listen, hostName, mode, ReceiverLimits.defaults(), tls);
  }

  /** ADDR:PORT, [IPv6]:PORT or :PORT (all addresses). */
  static InetSocketAddress listenAddress(CommandLine commandLine, String option, String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      throw new CommandLine.ParameterException(
          commandLine, option + " " + value + ": expected ADDR:PORT or :PORT");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = new Converters.PortConverter().convert(value.substring(colon + 1));
    } catch (CommandLine.TypeConversionException e) {
      throw new CommandLine.ParameterException(commandLine, option + ": " + e.getMessage());
    }
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }

  static final class ModeConverter implements CommandLine.ITypeConverter<ReceiverMode> {
    @Override
    public ReceiverMode convert(String value) {
      try {
        return ReceiverMode.fromLabel(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
