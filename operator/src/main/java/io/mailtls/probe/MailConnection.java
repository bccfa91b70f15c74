package io.mailtls.probe;

import io.mailtls.text.ServerText;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection to a mail server with a hard deadline: every read waits at most until the
 * deadline, and its lines are read by a bounded {@link MailLineReader}, so a tarpit, a trickle or
 * an endless line cannot hold a thread or memory. It keeps what the server said (cleaned) for
 * banner and software detection.
 */
final class MailConnection implements Closeable {
  /** What the connection is doing; a timeout is classified by the phase it happened in. */
  enum Phase {
    CONNECT(FailureKind.CONNECT_TIMEOUT),
    GREETING(FailureKind.GREETING_TIMEOUT),
    STARTTLS(FailureKind.STARTTLS_TIMEOUT),
    HANDSHAKE(FailureKind.HANDSHAKE_TIMEOUT);

    final FailureKind timeout;

    Phase(FailureKind timeout) {
      this.timeout = timeout;
    }
  }

  /**
   * Closes a connection that outlives its deadline, whatever it is doing: a per-read timeout cannot
   * stop a peer that trickles one byte just before each read would time out, nor a read that does
   * not go through this class (the JDK's TLS handshake of the TLS 1.3 chain fetch).
   */
  private static final ScheduledExecutorService WATCHDOG = watchdog();

  /** One thread; a closed connection's alarm leaves the queue at once (it holds the buffers). */
  private static ScheduledExecutorService watchdog() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().daemon().name("mailtls-connection-watchdog").factory());
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  /** Lets the per-read timeouts, which classify by phase, speak first. */
  private static final long WATCHDOG_GRACE_MILLIS = 250;

  private final Socket socket;
  private final Instant deadline;
  private volatile boolean expired;
  private ScheduledFuture<?> alarm;
  private final InputStream in;
  private final OutputStream out;
  private final MailLineReader lines;
  private Phase phase = Phase.CONNECT;
  private String greeting;

  private MailConnection(Socket socket, Instant deadline, InputStream in, OutputStream out) {
    this.socket = socket;
    this.deadline = deadline;
    this.in = in;
    this.out = out;
    this.lines =
        new MailLineReader(
            in,
            () ->
                phase == Phase.GREETING
                    ? "server closed the connection before completing its greeting"
                    : "server closed the connection during the STARTTLS dialogue");
  }

  /**
   * A dialogue over given streams, with no socket and no deadline: for tests that feed the dialects
   * and the reply reader arbitrary server bytes (the fuzz tests).
   */
  static MailConnection over(InputStream in, OutputStream out) {
    return new MailConnection(null, null, in, out);
  }

  static MailConnection open(InetSocketAddress address, Instant deadline) throws ProbeException {
    Socket socket = new Socket();
    try {
      int timeout = remainingMillis(deadline);
      if (timeout <= 0) {
        throw new SocketTimeoutException("deadline passed before connecting");
      }
      socket.setTcpNoDelay(true);
      socket.connect(address, timeout);
      // The deadline is armed below the buffer: once per read from the socket, not per byte.
      InputStream in =
          new BufferedInputStream(
              new DeadlineInputStream(socket.getInputStream(), socket, deadline), 8192);
      MailConnection connection =
          new MailConnection(socket, deadline, in, socket.getOutputStream());
      connection.alarm =
          WATCHDOG.schedule(
              connection::expire,
              Math.max(0, remainingMillis(deadline)) + WATCHDOG_GRACE_MILLIS,
              TimeUnit.MILLISECONDS);
      return connection;
    } catch (SocketTimeoutException e) {
      closeQuietly(socket);
      throw new ProbeException(FailureKind.CONNECT_TIMEOUT, "no TCP connection to " + address);
    } catch (ConnectException e) {
      closeQuietly(socket);
      boolean refused = String.valueOf(e.getMessage()).toLowerCase().contains("refused");
      throw new ProbeException(
          refused ? FailureKind.CONNECTION_REFUSED : FailureKind.CONNECTION_FAILED, e.getMessage());
    } catch (IOException e) {
      closeQuietly(socket);
      throw new ProbeException(connectFailure(e), e.getMessage());
    }
  }

  /** A connection that failed because this process is out of descriptors is not the server's. */
  static FailureKind connectFailure(IOException e) {
    return String.valueOf(e.getMessage()).contains("Too many open files")
        ? FailureKind.LOCAL_RESOURCES
        : FailureKind.CONNECTION_FAILED;
  }

  Phase phase() {
    return phase;
  }

  /** True when the deadline closed the connection: what failed then was a timeout. */
  boolean expired() {
    return expired;
  }

  private void expire() {
    expired = true;
    closeQuietly(socket);
  }

  void phase(Phase phase) {
    this.phase = phase;
  }

  Duration timeLeft() {
    return Duration.ofMillis(Math.max(0, remainingMillis(deadline)));
  }

  /** The server's lines, up to STARTTLS. */
  MailLineReader lines() {
    return lines;
  }

  void writeLine(String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  void write(byte[] data) throws IOException {
    out.write(data);
    out.flush();
  }

  /** The stream for TLS records after the STARTTLS dialogue (shares the read buffer). */
  InputStream input() {
    return in;
  }

  Socket socket() {
    return socket;
  }

  void greeting(String greeting) {
    this.greeting = ServerText.clean(greeting);
  }

  String greeting() {
    return greeting;
  }

  List<String> transcript() {
    return lines.transcript();
  }

  @Override
  public void close() {
    if (alarm != null) {
      alarm.cancel(false);
    }
    if (socket != null) {
      closeQuietly(socket);
    }
  }

  private static int remainingMillis(Instant deadline) {
    long left = Duration.between(Instant.now(), deadline).toMillis();
    return (int) Math.min(Integer.MAX_VALUE, left);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing left to do with a socket that will not close
    }
  }

  /** Sets the socket timeout to the time left before each read that may block. */
  private static final class DeadlineInputStream extends FilterInputStream {
    private final Socket socket;
    private final Instant deadline;

    DeadlineInputStream(InputStream in, Socket socket, Instant deadline) {
      super(in);
      this.socket = socket;
      this.deadline = deadline;
    }

    private void arm() throws IOException {
      int left = remainingMillis(deadline);
      if (left <= 0) {
        throw new SocketTimeoutException("probe deadline reached");
      }
      socket.setSoTimeout(left);
    }

    @Override
    public int read() throws IOException {
      arm();
      return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      arm();
      return super.read(b, off, len);
    }
  }
}
