package io.mailtls.receiver;

import io.mailtls.text.ServerText;
import io.mailtls.tls.ClientHello;
import io.mailtls.tls.ClientHelloReader;
import io.mailtls.tls.TlsAlerts;
import io.mailtls.tls.TlsVersion;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.LoggerFactory;

/**
 * One SMTP session with a sending server: the dialogue up to DATA, where the message is always
 * refused. The ClientHello after STARTTLS is read and parsed here, before the TLS library sees it,
 * so that a sender is recorded with what it offered even when no handshake follows.
 */
final class SmtpSession {
  /** Alerts with which a client refuses the server's certificate (RFC 8446 6.2). */
  private static final java.util.Set<Short> CERTIFICATE_ALERTS =
      java.util.Set.of(
          AlertDescription.bad_certificate,
          AlertDescription.unsupported_certificate,
          AlertDescription.certificate_revoked,
          AlertDescription.certificate_expired,
          AlertDescription.certificate_unknown,
          AlertDescription.unknown_ca);

  /** The fatal protocol_version alert a TLS 1.2-only server sends to an older client. */
  private static final byte[] PROTOCOL_VERSION_ALERT = {0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46};

  private final Socket socket;
  private final ReceiverSettings settings;
  private final BcTlsCrypto crypto;
  private final Instant startedAt = Instant.now();

  private InputStream in;
  private OutputStream out;
  private CommandReader commands;
  private String ehloName;
  private boolean greeted;
  private boolean startTls;
  private ClientHello hello;
  private TlsVersion negotiated;
  private boolean mailGiven;
  private boolean recipientGiven;
  private boolean plaintextRefused;
  private boolean extended;
  private boolean tlsUp;
  private String finding;
  private boolean findingOverTls;
  private int badCommands;

  SmtpSession(Socket socket, ReceiverSettings settings, BcTlsCrypto crypto) {
    this.socket = socket;
    this.settings = settings;
    this.crypto = crypto;
  }

  SessionRecord run() {
    ReceiverLimits limits = settings.limits();
    try {
      socket.setSoTimeout((int) limits.idleTimeout().toMillis());
      in =
          new BufferedInputStream(
              new BoundedInputStream(socket.getInputStream(), limits.maxSessionBytes()));
      out = socket.getOutputStream();
      commands = new CommandReader(in, limits.maxLineBytes());
      reply("220 " + settings.hostName() + " ESMTP mailtls test receiver");
      return dialogue();
    } catch (CommandReader.LineTooLong | BoundedInputStream.SessionTooLarge e) {
      replyQuietly("500 5.5.6 " + e.getMessage() + "; closing");
      return record(SessionOutcome.PROTOCOL_VIOLATION, e.getMessage());
    } catch (ClientHelloReader.MalformedHello e) {
      return record(SessionOutcome.MALFORMED_HELLO, e.getMessage());
    } catch (SocketTimeoutException e) {
      replyQuietly("421 4.4.2 " + settings.hostName() + " idle timeout; closing");
      return record(SessionOutcome.TIMEOUT, "no bytes from the sender for " + limits.idleTimeout());
    } catch (IOException e) {
      return ended(socket.isClosed() ? "the session ran out of time" : "the connection broke");
    } catch (RuntimeException e) {
      // A bug of ours or of a library, never the sender's verdict: classified and logged.
      LoggerFactory.getLogger(SmtpSession.class).warn("test session failed unexpectedly", e);
      return record(SessionOutcome.PROTOCOL_VIOLATION, "the receiver failed: " + e);
    }
  }

  private SessionRecord dialogue() throws IOException {
    while (true) {
      String line = commands.readLine();
      if (line == null) {
        return ended("the sender closed the connection");
      }
      String verb = verb(line);
      String argument = line.length() > verb.length() ? line.substring(verb.length()).strip() : "";
      switch (verb) {
        case "EHLO" -> ehlo(argument, true);
        case "HELO" -> ehlo(argument, false);
        case "STARTTLS" -> {
          if (startTls) {
            bad("503 5.5.1 TLS already active");
          } else if (!greeted) {
            bad("503 5.5.2 Send hello first");
          } else {
            reply("220 2.0.0 Ready to start TLS");
            SessionRecord failed = handshake();
            if (failed != null) {
              return failed;
            }
          }
        }
        case "MAIL" -> mail();
        case "RCPT" -> {
          if (!mailGiven) {
            bad("503 5.5.1 Need MAIL command");
          } else {
            recipientGiven = true;
            reply("250 2.1.5 Recipient OK");
          }
        }
        case "DATA" -> {
          if (!recipientGiven) {
            bad("503 5.5.1 Need RCPT command");
          } else {
            // Refused at the DATA command: the message body is never read, let alone kept. The
            // session goes on (a sender may QUIT or try again); its outcome is now this test.
            findingOverTls = tlsUp;
            finding = tlsUp ? Finding.withTls(hello, negotiated) : Finding.withoutTls(extended);
            mailGiven = false;
            recipientGiven = false;
            reply(finding);
          }
        }
        case "RSET" -> {
          mailGiven = false;
          recipientGiven = false;
          reply("250 2.0.0 Resetting");
        }
        case "NOOP" -> reply("250 2.0.0 OK");
        case "VRFY" -> reply("252 2.1.5 Cannot VRFY user");
        case "QUIT" -> {
          reply("221 2.0.0 Service closing transmission channel");
          return ended("the sender quit");
        }
        default -> bad("500 5.5.2 Command not recognized");
      }
      if (badCommands > settings.limits().maxBadCommands()) {
        replyQuietly("421 4.7.0 Too many errors; closing");
        return record(SessionOutcome.PROTOCOL_VIOLATION, "too many unrecognised commands");
      }
    }
  }

  private void ehlo(String argument, boolean extended) throws IOException {
    ehloName = ServerText.clean(argument.isEmpty() ? null : argument, 253);
    greeted = true;
    this.extended = extended;
    mailGiven = false;
    recipientGiven = false;
    String name = settings.hostName();
    if (!extended) {
      reply("250 " + name);
      return;
    }
    String client = socket.getInetAddress().getHostAddress();
    reply(
        "250-"
            + name
            + " Hello ["
            + client
            + "]\r\n250-SIZE 37748736\r\n250-8BITMIME\r\n"
            + (startTls ? "" : "250-STARTTLS\r\n")
            + "250 ENHANCEDSTATUSCODES");
  }

  private void mail() throws IOException {
    if (!greeted) {
      bad("503 5.5.2 Send hello first");
    } else if (!startTls && settings.mode().startTlsRequired()) {
      plaintextRefused = true;
      reply("451 5.7.3 Must issue a STARTTLS command first");
    } else {
      mailGiven = true;
      recipientGiven = false;
      reply("250 2.1.0 Sender OK");
    }
  }

  /** Reads the hello, decides, and hands the stream to the TLS stack; null when TLS is up. */
  private SessionRecord handshake() throws IOException {
    startTls = true;
    ClientHelloReader.Capture capture;
    try {
      capture = ClientHelloReader.read(in);
    } catch (EOFException e) {
      return record(SessionOutcome.MALFORMED_HELLO, e.getMessage());
    }
    hello = capture.hello();
    TlsVersion lowest = settings.mode().lowestAccepted();
    if (!hello.offersAtLeast(lowest) || hello.sslv2Format()) {
      if (!hello.sslv2Format()) {
        out.write(PROTOCOL_VERSION_ALERT);
        out.flush();
      }
      return record(
          SessionOutcome.VERSION_REFUSED,
          "offered "
              + hello.describeOffer()
              + (hello.sslv2Format()
                  ? " in the SSLv2 format, which the receiver does not speak; it closed"
                  : "; the receiver ("
                      + settings.mode()
                      + ") accepts "
                      + lowest.label()
                      + " and newer, so it sent protocol_version and closed"));
    }
    InputStream replayed = new SequenceInputStream(new ByteArrayInputStream(capture.raw()), in);
    TlsServerProtocol protocol = new TlsServerProtocol(replayed, out);
    ReceiverTlsServer server =
        new ReceiverTlsServer(crypto, settings.mode(), settings.certificate());
    try {
      protocol.accept(server);
    } catch (IOException e) {
      negotiated = TlsVersion.fromCode(server.agreedVersionCode()).orElse(null);
      return handshakeFailed(e, server);
    }
    negotiated = TlsVersion.fromCode(server.agreedVersionCode()).orElse(null);
    tlsUp = true;
    in = new BufferedInputStream(protocol.getInputStream());
    out = protocol.getOutputStream();
    commands = new CommandReader(in, settings.limits().maxLineBytes());
    greeted = false; // RFC 3207: the sender starts over with EHLO
    mailGiven = false;
    recipientGiven = false;
    return null;
  }

  private SessionRecord handshakeFailed(IOException e, ReceiverTlsServer server) {
    if (e instanceof TlsFatalAlertReceived received) {
      boolean certificate =
          negotiated != null && CERTIFICATE_ALERTS.contains(received.getAlertDescription());
      return record(
          certificate ? SessionOutcome.CERTIFICATE_REJECTED : SessionOutcome.HANDSHAKE_FAILED,
          "the sender ended the handshake with alert " + server.alertReceived());
    }
    if (e instanceof TlsFatalAlert alert) {
      short description = alert.getAlertDescription();
      boolean noCommonSuite =
          negotiated == null
              && (description == AlertDescription.handshake_failure
                  || description == AlertDescription.insufficient_security);
      return record(
          noCommonSuite ? SessionOutcome.NO_COMMON_CIPHER : SessionOutcome.HANDSHAKE_FAILED,
          noCommonSuite
              ? "no cipher suite or group in common with the receiver ("
                  + settings.mode()
                  + "), which sent "
                  + TlsAlerts.name(description)
              : "the receiver ended the handshake with alert " + TlsAlerts.name(description));
    }
    if (e instanceof SocketTimeoutException) {
      return record(SessionOutcome.HANDSHAKE_FAILED, "the sender went quiet inside the handshake");
    }
    return record(
        SessionOutcome.HANDSHAKE_FAILED, "the sender closed the connection inside the handshake");
  }

  private SessionRecord ended(String detail) {
    if (tlsUp) {
      return record(SessionOutcome.TLS_NEGOTIATED, detail + " after the handshake");
    }
    if (plaintextRefused && !startTls) {
      return record(
          SessionOutcome.PLAINTEXT_REFUSED,
          "MAIL FROM without STARTTLS, answered 451 5.7.3; then " + detail);
    }
    return record(SessionOutcome.NO_MAIL_ATTEMPT, detail + " before STARTTLS or MAIL FROM");
  }

  /**
   * The session as it ended; a session that reached DATA is a test whatever came after, and one
   * refused for plaintext stays that unless it went on to STARTTLS.
   */
  private SessionRecord record(SessionOutcome outcome, String detail) {
    if (finding != null && startTls == findingOverTls) {
      // The test was made; nothing tried since (a STARTTLS after a plaintext test would be).
      outcome = findingOverTls ? SessionOutcome.TESTED_WITH_TLS : SessionOutcome.TESTED_WITHOUT_TLS;
      detail = finding;
    } else if (tlsUp
        && (outcome == SessionOutcome.TIMEOUT || outcome == SessionOutcome.PROTOCOL_VIOLATION)) {
      // What was seen stays seen: TLS was up, whatever the sender did after.
      detail = detail + " after the handshake";
      outcome = SessionOutcome.TLS_NEGOTIATED;
    } else if (plaintextRefused && !startTls) {
      outcome = SessionOutcome.PLAINTEXT_REFUSED;
    }
    return new SessionRecord(
        startedAt,
        io.mailtls.dns.AddressText.of(socket.getInetAddress()),
        ehloName,
        startTls,
        hello,
        negotiated,
        outcome,
        ServerText.clean(detail));
  }

  private void bad(String response) throws IOException {
    badCommands++;
    reply(response);
  }

  private void reply(String response) throws IOException {
    out.write((response + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private void replyQuietly(String response) {
    try {
      reply(response);
    } catch (IOException e) {
      // The sender is gone or misbehaving; the session is recorded either way.
    }
  }

  private static String verb(String line) {
    int space = line.indexOf(' ');
    return (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
  }
}
