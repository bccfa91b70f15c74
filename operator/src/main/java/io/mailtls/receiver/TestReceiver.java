package io.mailtls.receiver;

import io.mailtls.dns.AddressText;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP listener that sending mail servers send test messages to. Each session runs on a virtual
 * thread under the limits of {@link ReceiverLimits}; what was seen goes to the {@link SessionLog}.
 * Nothing is relayed, queued or written anywhere: every message is refused at DATA.
 */
public final class TestReceiver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TestReceiver.class);

  private final ReceiverSettings settings;
  private final SessionLog log;
  private final ServerSocket server;
  private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
  private final ExecutorService sessions = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledThreadPoolExecutor deadlines = deadlineTimer();
  private final AtomicInteger active = new AtomicInteger();

  /** Of {@link #active}, the sessions of clients that are not expected senders. */
  private final AtomicInteger strangers = new AtomicInteger();

  /** Sessions at once by client (an IPv4 address, or an IPv6 /64: see {@link ClientKey}). */
  private final Map<String, Integer> activeByClient = new ConcurrentHashMap<>();

  private final Thread acceptor;

  private TestReceiver(ReceiverSettings settings, SessionLog log) throws IOException {
    this.settings = settings;
    this.log = log;
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(settings.listen(), 128);
    this.acceptor =
        Thread.ofPlatform().daemon().name("mailtls-receiver-accept").start(this::acceptLoop);
  }

  public static TestReceiver start(ReceiverSettings settings, SessionLog log) throws IOException {
    TestReceiver receiver = new TestReceiver(settings, log);
    LOG.info(
        "test receiver listening on {} ({} mode)",
        AddressText.of(receiver.server.getInetAddress()) + ":" + receiver.port(),
        settings.mode());
    return receiver;
  }

  /** Cancelled deadlines leave the queue at once: a finished session holds no socket there. */
  private static ScheduledThreadPoolExecutor deadlineTimer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1, r -> Thread.ofPlatform().daemon().name("mailtls-receiver-deadlines").unstarted(r));
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (!server.isClosed()) {
          LOG.warn("test receiver: accept failed: {}", e.toString());
          pause(); // e.g. out of file descriptors: do not spin
        }
        continue;
      }
      try {
        admit(socket);
      } catch (RuntimeException e) { // closing (executors shut down), or a bug: never the loop
        closeQuietly(socket);
        if (!server.isClosed()) {
          LOG.warn("test receiver: could not start a session", e);
        }
      }
    }
  }

  /**
   * The share of {@link ReceiverLimits#maxSessions()} that only expected senders' addresses may use
   * while there are any: strangers holding idle sessions (from many addresses, within the limit per
   * address) cannot lock an expected sender out.
   */
  static int reservedSessions(ReceiverLimits limits) {
    return Math.max(1, limits.maxSessions() / 4);
  }

  private void admit(Socket socket) {
    ReceiverLimits limits = settings.limits();
    ExpectedAddresses expected = log.expected();
    String address = AddressText.of(socket.getInetAddress());
    boolean stranger = !expected.contains(address);
    // An expected sender's limit per client is its own address's: a neighbour in its IPv6 /64
    // must not use it up.
    String client = stranger ? ClientKey.of(socket.getInetAddress()) : address;
    int all = active.incrementAndGet();
    int strangersNow = stranger ? strangers.incrementAndGet() : 0;
    int fromClient = activeByClient.merge(client, 1, Integer::sum);
    int strangerLimit =
        expected.any() ? limits.maxSessions() - reservedSessions(limits) : limits.maxSessions();
    if (all > limits.maxSessions()
        || strangersNow > strangerLimit
        || fromClient > limits.maxSessionsPerAddress()) {
      try {
        refuseBusy(socket);
      } finally {
        release(client, stranger);
      }
      return;
    }
    SmtpSession session = new SmtpSession(socket, settings, crypto);
    var deadline =
        deadlines.schedule(
            session::timeUp, limits.sessionTimeout().toMillis(), TimeUnit.MILLISECONDS);
    try {
      sessions.execute(
          () -> {
            try {
              log.add(session.run());
            } finally {
              deadline.cancel(false);
              closeQuietly(socket);
              release(client, stranger);
            }
          });
    } catch (RuntimeException e) {
      deadline.cancel(false);
      release(client, stranger);
      throw e;
    }
  }

  /** The counts go down together; an address with no session left is forgotten. */
  private void release(String client, boolean stranger) {
    active.decrementAndGet();
    if (stranger) {
      strangers.decrementAndGet();
    }
    activeByClient.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Counted, not remembered: a flood of refused connections must not evict real records. */
  private void refuseBusy(Socket socket) {
    try (socket) {
      socket.setSoTimeout(1000);
      socket
          .getOutputStream()
          .write(
              ("421 4.7.0 " + settings.hostName() + " too many connections, try again later\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      // Gone already.
    }
    log.add(
        new SessionRecord(
            Instant.now(),
            AddressText.of(socket.getInetAddress()),
            null,
            false,
            null,
            null,
            SessionOutcome.BUSY,
            "too many sessions at once"));
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing left to do.
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // Closing anyway.
    }
    sessions.shutdownNow();
    deadlines.shutdownNow();
    try {
      acceptor.join(5000);
      sessions.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
