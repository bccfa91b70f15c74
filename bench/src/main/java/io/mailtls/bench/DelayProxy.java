package io.mailtls.bench;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on the loopback interface that adds a fixed one-way delay to each direction, to turn
 * a loopback server into one "far away": with a delay of d, a request/response exchange through the
 * proxy costs one round trip of 2d.
 *
 * <p>Per accepted connection: the proxy waits d before it connects upstream (the client's SYN
 * travelling to the server), then two pumps run, one per direction. Each pump has a reader that
 * hands every chunk it reads to one timer thread, due d later, and a writer that writes the chunks
 * the timer releases to it; the timer releases chunks of the same delay in the order they were
 * read, so byte order is kept and a constant delay never reorders anything. End of stream is
 * forwarded (as a half-close) after the same delay; a reset or error closes both sides. Readers and
 * writers run on virtual threads, so thousands of connections cost no platform threads; the timer
 * is one platform thread shared by every proxy of the JVM, because it wakes on time where a timed
 * park of a virtual thread wakes about a millisecond late, and it never spins.
 *
 * <p>What a userspace proxy cannot delay is the TCP handshake itself: the kernel completes the
 * client's {@code connect} at once. For a server-speaks-first protocol the greeting still arrives
 * after one round trip (d for the upstream connect, d back), which is half a round trip earlier
 * than over a real network.
 *
 * <p>Only loopback addresses are accepted, for listening and for the target.
 */
public final class DelayProxy implements Closeable {
  private static final int CHUNK = 16 * 1024;
  private static final byte[] EOF = new byte[0];

  /**
   * Releases delayed chunks and connects. One thread for every proxy: its tasks only hand a chunk
   * to a queue, and one thread keeps the release order of equal delays.
   */
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "delay-proxy-timer");
            thread.setDaemon(true);
            return thread;
          });

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final long delayNanos;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private volatile boolean closed;

  private DelayProxy(ServerSocket server, InetSocketAddress target, Duration oneWayDelay) {
    this.server = server;
    this.target = target;
    this.delayNanos = oneWayDelay.toNanos();
  }

  /**
   * Starts a proxy on {@code listen} (port 0 picks a free port) forwarding to {@code target}, with
   * {@code oneWayDelay} added to each direction.
   */
  public static DelayProxy start(
      InetSocketAddress listen, InetSocketAddress target, Duration oneWayDelay) throws IOException {
    requireLoopback(listen, "listen");
    requireLoopback(target, "target");
    if (oneWayDelay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + oneWayDelay);
    }
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(listen, 4096);
    DelayProxy proxy = new DelayProxy(server, target, oneWayDelay);
    proxy.threads.submit(proxy::acceptLoop);
    return proxy;
  }

  /** A proxy on 127.0.0.1 on a free port, forwarding to 127.0.0.1:{@code targetPort}. */
  public static DelayProxy startLoopback(int targetPort, Duration oneWayDelay) throws IOException {
    InetAddress lo = InetAddress.getLoopbackAddress();
    return start(new InetSocketAddress(lo, 0), new InetSocketAddress(lo, targetPort), oneWayDelay);
  }

  public int port() {
    return server.getLocalPort();
  }

  public long connectionsAccepted() {
    return accepted.get();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    open.forEach(DelayProxy::closeQuietly);
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (!closed) {
          System.err.println("DelayProxy: accept failed: " + e.getMessage());
        }
        return;
      }
      accepted.incrementAndGet();
      open.add(client);
      threads.submit(() -> serve(client));
    }
  }

  private void serve(Socket client) {
    Socket upstream = new Socket();
    open.add(upstream);
    try {
      client.setTcpNoDelay(true);
      upstream.setTcpNoDelay(true);
      // The pump from the client starts at once, so what the client sends before the upstream
      // connection exists is stamped with its true arrival time.
      LinkedBlockingQueue<Chunk> toServer = new LinkedBlockingQueue<>();
      threads.submit(() -> read(client, toServer, client, upstream));
      TIMER.schedule(() -> {}, delayNanos, TimeUnit.NANOSECONDS).get();
      upstream.connect(target, 10_000);
      threads.submit(() -> write(toServer, upstream, client, upstream));
      LinkedBlockingQueue<Chunk> toClient = new LinkedBlockingQueue<>();
      threads.submit(() -> write(toClient, client, client, upstream));
      read(upstream, toClient, client, upstream);
    } catch (IOException | InterruptedException | ExecutionException e) {
      closeBoth(client, upstream);
    }
  }

  /** Reads from {@code from} until end of stream; each chunk reaches the queue after the delay. */
  private void read(Socket from, LinkedBlockingQueue<Chunk> queue, Socket a, Socket b) {
    byte[] buffer = new byte[CHUNK];
    try {
      InputStream in = from.getInputStream();
      int n;
      while ((n = in.read(buffer)) > 0) {
        later(queue, Arrays.copyOf(buffer, n));
      }
      later(queue, EOF);
    } catch (IOException e) {
      // a reset on one side: close both, as a real path would deliver the reset too
      closeBoth(a, b);
      queue.add(new Chunk(null));
    }
  }

  private void later(LinkedBlockingQueue<Chunk> queue, byte[] data) {
    TIMER.schedule(() -> queue.add(new Chunk(data)), delayNanos, TimeUnit.NANOSECONDS);
  }

  /** Writes each chunk to {@code to} as it arrives; forwards end of stream as a half-close. */
  private void write(LinkedBlockingQueue<Chunk> queue, Socket to, Socket a, Socket b) {
    try {
      OutputStream out = to.getOutputStream();
      while (true) {
        Chunk chunk = queue.take();
        if (chunk.data == null) {
          return;
        }
        if (chunk.data == EOF) {
          to.shutdownOutput();
          if (bothHalfClosed(a, b)) {
            closeBoth(a, b);
          }
          return;
        }
        out.write(chunk.data);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      closeBoth(a, b);
    }
  }

  private static boolean bothHalfClosed(Socket a, Socket b) {
    return a.isOutputShutdown() && b.isOutputShutdown();
  }

  private void closeBoth(Socket a, Socket b) {
    closeQuietly(a);
    closeQuietly(b);
    open.remove(a);
    open.remove(b);
  }

  private static void requireLoopback(InetSocketAddress address, String what) {
    if (address.isUnresolved() || !address.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException(
          "DelayProxy only works on loopback; " + what + " " + address + " is not");
    }
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** A chunk of bytes; {@link #EOF} for end of stream, null data for a reset. */
  private record Chunk(byte[] data) {}

  /**
   * Runs a proxy until killed: {@code DelayProxy LISTEN_PORT TARGET_PORT ONE_WAY_DELAY_MS} (both
   * ports on 127.0.0.1; LISTEN_PORT 0 picks one and prints it).
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: DelayProxy LISTEN_PORT TARGET_PORT ONE_WAY_DELAY_MS");
      System.exit(2);
    }
    InetAddress lo = InetAddress.getLoopbackAddress();
    DelayProxy proxy =
        start(
            new InetSocketAddress(lo, Integer.parseInt(args[0])),
            new InetSocketAddress(lo, Integer.parseInt(args[1])),
            Duration.ofMillis(Long.parseLong(args[2])));
    System.out.println(
        "DelayProxy 127.0.0.1:"
            + proxy.port()
            + " -> 127.0.0.1:"
            + args[1]
            + ", "
            + args[2]
            + " ms each way");
    Runtime.getRuntime().addShutdownHook(new Thread(proxy::close));
    Thread.currentThread().join();
  }
}
