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
import org.bouncycastle.tls.TlsNoCloseNotifyException;
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

  /**
   * How far the mail transaction has got (RFC 5321 3.3). A hello, RSET or DATA ends a transaction;
   * TLS coming up forgets the hello too (RFC 3207).
   */
  private enum Stage {
    NO_HELLO,
    GREETED,
    MAIL_GIVEN,
    RECIPIENT_GIVEN
  }

  /** Where the session is with TLS; it only moves forward. */
  private enum Tls {
    PLAIN,
    /** STARTTLS accepted: the hello is being read or the handshake run, or it failed. */
    STARTED,
    /** The handshake completed; the dialogue goes on inside TLS. */
    UP
  }

  /** The finding given in reply to DATA, and whether TLS was up when it was made. */
  private record DataFinding(String reply, boolean overTls) {}

  /** How the session ended, as the code that ended it saw it: {@link #end} decides the outcome. */
  private sealed interface Ending {}

  /** The sender left: it quit, closed or broke the connection, or the session ran out of time. */
  private record Left(String how) implements Ending {}

  /** The session was stopped with this outcome: by a limit, a timeout, a bug, or the handshake. */
  private record Stopped(SessionOutcome outcome, String detail) implements Ending {}

  private final Socket socket;
  private final ReceiverSettings settings;
  private final BcTlsCrypto crypto;
  private final Instant startedAt = Instant.now();

  /** Set by the session's deadline, which then closes the socket under whatever it was doing. */
  private volatile boolean timedUp;

  private InputStream in;
  private OutputStream out;
  private CommandReader commands;
  private String ehloName;
  private Stage stage = Stage.NO_HELLO;
  private Tls tls = Tls.PLAIN;
  private ClientHello hello;
  private TlsVersion negotiated;

  /** The last hello was EHLO, so STARTTLS was offered: the plaintext finding says which. */
  private boolean extended;

  /** MAIL was refused for want of STARTTLS; it counts only while the session stays plain. */
  private boolean plaintextRefused;

  /** The latest finding, or null before any DATA was answered. */
  private DataFinding finding;

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
      return end(new Stopped(SessionOutcome.PROTOCOL_VIOLATION, e.getMessage()));
    } catch (ClientHelloReader.MalformedHello e) {
      return end(new Stopped(SessionOutcome.MALFORMED_HELLO, e.getMessage()));
    } catch (SocketTimeoutException e) {
      replyQuietly("421 4.4.2 " + settings.hostName() + " idle timeout; closing");
      return end(
          new Stopped(
              SessionOutcome.TIMEOUT, "no bytes from the sender for " + limits.idleTimeout()));
    } catch (IOException e) {
      return end(new Left(howItBroke(e)));
    } catch (RuntimeException e) {
      // A bug of ours or of a library, never the sender's verdict: classified and logged.
      LoggerFactory.getLogger(SmtpSession.class).warn("test session failed unexpectedly", e);
      return end(new Stopped(SessionOutcome.PROTOCOL_VIOLATION, "the receiver failed: " + e));
    }
  }

  /** The session's deadline: whatever it was doing, it ends now. */
  void timeUp() {
    timedUp = true;
    try {
      socket.close();
    } catch (IOException e) {
      // Closed already.
    }
  }

  /**
   * Why reading or writing failed: the session's deadline, a sender that closed the connection
   * without TLS's close_notify, or a connection that broke (Bouncy Castle closes the socket itself
   * on any failure, so a closed socket alone says nothing).
   */
  private String howItBroke(IOException e) {
    if (timedUp) {
      return "the session ran out of time";
    }
    return e instanceof TlsNoCloseNotifyException
        ? "the sender closed the connection"
        : "the connection broke";
  }

  private SessionRecord dialogue() throws IOException {
    while (true) {
      String line = commands.readLine();
      if (line == null) {
        return end(new Left("the sender closed the connection"));
      }
      String verb = verb(line);
      String argument = line.length() > verb.length() ? line.substring(verb.length()).strip() : "";
      switch (verb) {
        case "EHLO" -> ehlo(argument, true);
        case "HELO" -> ehlo(argument, false);
        case "STARTTLS" -> {
          if (tls != Tls.PLAIN) {
            bad("503 5.5.1 TLS already active");
          } else if (stage == Stage.NO_HELLO) {
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
          if (stage != Stage.MAIL_GIVEN && stage != Stage.RECIPIENT_GIVEN) {
            bad("503 5.5.1 Need MAIL command");
          } else {
            stage = Stage.RECIPIENT_GIVEN;
            reply("250 2.1.5 Recipient OK");
          }
        }
        case "DATA" -> {
          if (stage != Stage.RECIPIENT_GIVEN) {
            bad("503 5.5.1 Need RCPT command");
          } else {
            // Refused at the DATA command: the message body is never read, let alone kept. The
            // session goes on (a sender may QUIT or try again); its outcome is now this test.
            boolean overTls = tls == Tls.UP;
            finding =
                new DataFinding(
                    overTls ? Finding.withTls(hello, negotiated) : Finding.withoutTls(extended),
                    overTls);
            stage = Stage.GREETED;
            reply(finding.reply());
          }
        }
        case "RSET" -> {
          if (stage != Stage.NO_HELLO) {
            stage = Stage.GREETED; // RSET ends the transaction, not the hello
          }
          reply("250 2.0.0 Resetting");
        }
        case "NOOP" -> reply("250 2.0.0 OK");
        case "VRFY" -> reply("252 2.1.5 Cannot VRFY user");
        case "QUIT" -> {
          reply("221 2.0.0 Service closing transmission channel");
          return end(new Left("the sender quit"));
        }
        default -> bad("500 5.5.2 Command not recognized");
      }
      if (badCommands > settings.limits().maxBadCommands()) {
        replyQuietly("421 4.7.0 Too many errors; closing");
        return end(
            new Stopped(SessionOutcome.PROTOCOL_VIOLATION, "too many unrecognised commands"));
      }
    }
  }

  private void ehlo(String argument, boolean extended) throws IOException {
    // Escaped, not cleaned: a name with a NUL or a control byte in it is not the name without it.
    ehloName = ServerText.escaped(argument.isEmpty() ? null : argument, 253);
    stage = Stage.GREETED;
    this.extended = extended;
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
            + (tls == Tls.PLAIN ? "250-STARTTLS\r\n" : "")
            + "250 ENHANCEDSTATUSCODES");
  }

  private void mail() throws IOException {
    if (stage == Stage.NO_HELLO) {
      bad("503 5.5.2 Send hello first");
    } else if (tls == Tls.PLAIN && settings.mode().startTlsRequired()) {
      plaintextRefused = true;
      reply("451 5.7.3 Must issue a STARTTLS command first");
    } else {
      stage = Stage.MAIL_GIVEN;
      reply("250 2.1.0 Sender OK");
    }
  }

  /** Reads the hello, decides, and hands the stream to the TLS stack; null when TLS is up. */
  private SessionRecord handshake() throws IOException {
    tls = Tls.STARTED;
    ClientHelloReader.Capture capture;
    try {
      capture = ClientHelloReader.read(in);
    } catch (EOFException e) {
      return end(new Stopped(SessionOutcome.MALFORMED_HELLO, e.getMessage()));
    }
    hello = capture.hello();
    TlsVersion lowest = settings.mode().lowestAccepted();
    if (!hello.offersAtLeast(lowest) || hello.sslv2Format()) {
      if (!hello.sslv2Format()) {
        out.write(PROTOCOL_VERSION_ALERT);
        out.flush();
      }
      return end(
          new Stopped(
              SessionOutcome.VERSION_REFUSED,
              "offered "
                  + hello.describeOffer()
                  + (hello.sslv2Format()
                      ? " in the SSLv2 format, which the receiver does not speak; it closed"
                      : "; the receiver ("
                          + settings.mode()
                          + ") accepts "
                          + lowest.label()
                          + " and newer, so it sent protocol_version and closed")));
    }
    InputStream replayed = new SequenceInputStream(new ByteArrayInputStream(capture.raw()), in);
    HandshakeOutput handshakeOutput = new HandshakeOutput(out);
    TlsServerProtocol protocol = new TlsServerProtocol(replayed, handshakeOutput);
    ReceiverTlsServer server =
        new ReceiverTlsServer(crypto, settings.mode(), settings.certificate());
    try {
      protocol.accept(server);
      handshakeOutput.handshakeDone();
    } catch (IOException e) {
      negotiated = TlsVersion.fromCode(server.agreedVersionCode()).orElse(null);
      return handshakeFailed(e, server, handshakeOutput.writeFailed());
    }
    negotiated = TlsVersion.fromCode(server.agreedVersionCode()).orElse(null);
    tls = Tls.UP;
    in = new BufferedInputStream(protocol.getInputStream());
    out = protocol.getOutputStream();
    commands = new CommandReader(in, settings.limits().maxLineBytes());
    stage = Stage.NO_HELLO; // RFC 3207: the sender starts over with EHLO
    return null;
  }

  /**
   * @param writeFailed whether the receiver's own writes failed: the sender was gone then, so an
   *     alert the receiver's TLS stack raised afterwards is about that, not about the sender
   */
  private SessionRecord handshakeFailed(
      IOException e, ReceiverTlsServer server, boolean writeFailed) {
    if (e instanceof TlsFatalAlertReceived received) {
      boolean certificate =
          negotiated != null && CERTIFICATE_ALERTS.contains(received.getAlertDescription());
      return end(
          new Stopped(
              certificate ? SessionOutcome.CERTIFICATE_REJECTED : SessionOutcome.HANDSHAKE_FAILED,
              "the sender ended the handshake with alert " + server.alertReceived()));
    }
    if (timedUp) {
      return end(
          new Stopped(
              SessionOutcome.HANDSHAKE_FAILED, "the session ran out of time inside the handshake"));
    }
    if (writeFailed) {
      return end(
          new Stopped(
              SessionOutcome.HANDSHAKE_FAILED,
              "the sender closed the connection inside the handshake"));
    }
    if (e instanceof TlsFatalAlert alert) {
      short description = alert.getAlertDescription();
      boolean noCommonSuite =
          negotiated == null
              && (description == AlertDescription.handshake_failure
                  || description == AlertDescription.insufficient_security);
      return end(
          new Stopped(
              noCommonSuite ? SessionOutcome.NO_COMMON_CIPHER : SessionOutcome.HANDSHAKE_FAILED,
              noCommonSuite
                  ? "no cipher suite or group in common with the receiver ("
                      + settings.mode()
                      + "), which sent "
                      + TlsAlerts.name(description)
                  : "the receiver ended the handshake with alert " + TlsAlerts.name(description)));
    }
    if (e instanceof SocketTimeoutException) {
      return end(
          new Stopped(
              SessionOutcome.HANDSHAKE_FAILED, "the sender went quiet inside the handshake"));
    }
    return end(
        new Stopped(
            SessionOutcome.HANDSHAKE_FAILED,
            "the sender closed the connection inside the handshake"));
  }

  /**
   * Records the session, its outcome decided from what the session showed as well as from how it
   * ended. In order of precedence:
   *
   * <ol>
   *   <li>A test made at DATA, with nothing tried since, is TESTED_WITH_TLS or TESTED_WITHOUT_TLS
   *       with its finding as the detail, however the session ended. A STARTTLS after a plaintext
   *       test is something tried: that finding no longer counts.
   *   <li>With TLS up, a sender that left, a timeout or a protocol violation is TLS_NEGOTIATED, the
   *       detail followed by " after the handshake": what was seen stays seen.
   *   <li>MAIL refused for plaintext, with no STARTTLS since, is PLAINTEXT_REFUSED; a sender that
   *       left has the refusal put before its detail, any other ending keeps its own detail.
   *   <li>Otherwise a sender that left is NO_MAIL_ATTEMPT, the detail followed by " before STARTTLS
   *       or MAIL FROM" (also when it left inside the handshake, before TLS was up), and a stopped
   *       session keeps the outcome and detail it was stopped with.
   * </ol>
   */
  private SessionRecord end(Ending ending) {
    if (finding != null && finding.overTls() == (tls != Tls.PLAIN)) {
      return recorded(
          finding.overTls() ? SessionOutcome.TESTED_WITH_TLS : SessionOutcome.TESTED_WITHOUT_TLS,
          finding.reply());
    }
    boolean refusedForPlaintext = plaintextRefused && tls == Tls.PLAIN;
    return switch (ending) {
      case Left(String how) when tls == Tls.UP ->
          recorded(SessionOutcome.TLS_NEGOTIATED, how + " after the handshake");
      case Left(String how) when refusedForPlaintext ->
          recorded(
              SessionOutcome.PLAINTEXT_REFUSED,
              "MAIL FROM without STARTTLS, answered 451 5.7.3; then " + how);
      case Left(String how) ->
          recorded(SessionOutcome.NO_MAIL_ATTEMPT, how + " before STARTTLS or MAIL FROM");
      case Stopped(SessionOutcome outcome, String detail)
          when tls == Tls.UP
              && (outcome == SessionOutcome.TIMEOUT
                  || outcome == SessionOutcome.PROTOCOL_VIOLATION) ->
          recorded(SessionOutcome.TLS_NEGOTIATED, detail + " after the handshake");
      case Stopped(SessionOutcome outcome, String detail) when refusedForPlaintext ->
          recorded(SessionOutcome.PLAINTEXT_REFUSED, detail);
      case Stopped(SessionOutcome outcome, String detail) -> recorded(outcome, detail);
    };
  }

  /** The record of this session with the outcome {@link #end} decided. */
  private SessionRecord recorded(SessionOutcome outcome, String detail) {
    return new SessionRecord(
        startedAt,
        io.mailtls.dns.AddressText.of(socket.getInetAddress()),
        ehloName,
        tls != Tls.PLAIN,
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
