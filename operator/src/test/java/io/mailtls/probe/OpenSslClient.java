package io.mailtls.probe;

import io.mailtls.tls.TlsVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code openssl s_client}, an independent TLS client, to prove the integration tests' expected
 * version sets: if it agrees with the engine, the expectation is a fact about the server.
 */
final class OpenSslClient {
  private OpenSslClient() {}

  static boolean accepts(Endpoint endpoint, TlsVersion version)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-brief"));
    command.addAll(List.of("-connect", endpoint.host() + ":" + endpoint.port()));
    switch (endpoint.protocol().dialect()) {
      case SMTP -> command.addAll(List.of("-starttls", "smtp"));
      case IMAP -> command.addAll(List.of("-starttls", "imap"));
      case POP3 -> command.addAll(List.of("-starttls", "pop3"));
      case IMPLICIT -> {}
    }
    command.add(
        switch (version) {
          case TLS_1_0 -> "-tls1";
          case TLS_1_1 -> "-tls1_1";
          case TLS_1_2 -> "-tls1_2";
          case TLS_1_3 -> "-tls1_3";
          case SSL_3_0 -> throw new IllegalArgumentException("this OpenSSL has no SSLv3");
        });
    if (version != TlsVersion.TLS_1_3) {
      command.addAll(List.of("-cipher", "ALL:@SECLEVEL=0"));
    }
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("openssl s_client hung");
    }
    String expected =
        "Protocol version: " + (version == TlsVersion.TLS_1_0 ? "TLSv1" : version.label()) + "\n";
    return new String(output, StandardCharsets.UTF_8).contains(expected);
  }
}
