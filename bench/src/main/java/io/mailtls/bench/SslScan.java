package io.mailtls.bench;

import io.mailtls.probe.Endpoint;
import io.mailtls.tls.TlsVersion;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs sslscan as a separate process and times it from fork to exit. */
final class SslScan {
  /**
   * Flags that skip everything but the protocol check: cipher enumeration, key-exchange groups,
   * cipher details, compression, fallback SCSV, renegotiation, Heartbleed and the certificate
   * warnings. sslscan still makes one handshake per protocol version to decide which are enabled.
   */
  static final List<String> REDUCED_FLAGS =
      List.of(
          "--no-ciphersuites",
          "--no-cipher-details",
          "--no-groups",
          "--no-compression",
          "--no-fallback",
          "--no-renegotiation",
          "--no-heartbleed",
          "--no-check-certificate");

  private static final Pattern PROTOCOL_LINE =
      Pattern.compile("^\\s*(SSLv2|SSLv3|TLSv1\\.[0-3])\\s+(enabled|disabled)", Pattern.MULTILINE);

  enum Mode {
    DEFAULT(List.of()),
    REDUCED(REDUCED_FLAGS);

    final List<String> flags;

    Mode(List<String> flags) {
      this.flags = flags;
    }
  }

  /** One run: whole-process wall time, exit code, and the versions it reported enabled. */
  record Run(double wallMillis, int exitCode, Set<TlsVersion> enabled, boolean timedOut) {}

  private final String binary;
  private final Duration timeout;

  SslScan(String binary, Duration timeout) {
    this.binary = binary;
    this.timeout = timeout;
  }

  String version() {
    try {
      Process p =
          new ProcessBuilder(binary, "--no-colour", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      return out.replaceAll("\\s+", " ").strip();
    } catch (IOException | InterruptedException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /** The command line for {@code endpoint}, connecting to {@code port} (a proxy's, or its own). */
  List<String> command(Endpoint endpoint, int port, Mode mode) {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary);
    cmd.add("--no-colour");
    switch (endpoint.protocol().dialect()) {
      case SMTP -> cmd.add("--starttls-smtp");
      case IMAP -> cmd.add("--starttls-imap");
      case POP3 -> cmd.add("--starttls-pop3");
      case IMPLICIT -> {}
    }
    cmd.addAll(mode.flags);
    cmd.add(endpoint.host() + ":" + port);
    return cmd;
  }

  Run run(Endpoint endpoint, int port, Mode mode) {
    return run(command(endpoint, port, mode));
  }

  Run run(List<String> command) {
    File out = null;
    try {
      out = File.createTempFile("sslscan", ".out");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      long start = System.nanoTime();
      Process process = builder.start();
      boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        process.destroyForcibly();
        process.waitFor();
      }
      double millis = (System.nanoTime() - start) / 1e6;
      String text = Files.readString(out.toPath(), StandardCharsets.ISO_8859_1);
      return new Run(millis, done ? process.exitValue() : -1, parse(text), !done);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running sslscan", e);
    } finally {
      if (out != null) {
        out.delete();
      }
    }
  }

  /** The versions sslscan's "SSL/TLS Protocols" section calls enabled (SSLv2 is not tracked). */
  static Set<TlsVersion> parse(String output) {
    Set<TlsVersion> enabled = EnumSet.noneOf(TlsVersion.class);
    Matcher m = PROTOCOL_LINE.matcher(output);
    while (m.find()) {
      if (!m.group(2).equals("enabled")) {
        continue;
      }
      switch (m.group(1)) {
        case "SSLv3" -> enabled.add(TlsVersion.SSL_3_0);
        case "TLSv1.0" -> enabled.add(TlsVersion.TLS_1_0);
        case "TLSv1.1" -> enabled.add(TlsVersion.TLS_1_1);
        case "TLSv1.2" -> enabled.add(TlsVersion.TLS_1_2);
        case "TLSv1.3" -> enabled.add(TlsVersion.TLS_1_3);
        default -> {}
      }
    }
    return enabled;
  }
}
