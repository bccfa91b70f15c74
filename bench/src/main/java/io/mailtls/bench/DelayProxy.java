package io.mailtls.bench;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on the loopback interface that adds a fixed one-way delay to each direction, to turn
 * a loopback server into one "far away": with a delay of d, a request/response exchange through the
 * proxy costs one round trip of 2d.
 *
 * <p>Per accepted connection: the proxy waits d before it connects upstream (the client's SYN
 * travelling to the server). Every chunk read from one side is released to the other side d after
 * it arrived; chunks of one direction are released in the order they were read, so byte order is
 * kept and a constant delay never reorders anything. End of stream is forwarded (as a half-close)
 * after the same delay; a reset or error closes both sides.
 *
 * <p>Every proxy of the JVM runs on one {@link DelayLoop}: one thread with a selector and a timer
 * queue, because the bench's tens of thousands of proxies share the machine's cores with the
 * operator they measure. (Threads per connection, even virtual ones, cost several times the CPU.)
 *
 * <p>What a userspace proxy cannot delay is the TCP handshake itself: the kernel completes the
 * client's {@code connect} at once. For a server-speaks-first protocol the greeting still arrives
 * after one round trip (d for the upstream connect, d back), which is half a round trip earlier
 * than over a real network. A release can be up to a millisecond late: the loop sleeps in whole
 * milliseconds.
 *
 * <p>Only loopback addresses are accepted, for listening and for the target.
 */
public final class DelayProxy implements Closeable {
  private static final int CHUNK = 16 * 1024;

  private final DelayLoop loop = DelayLoop.shared();
  private final ServerSocketChannel server;
  private final InetSocketAddress target;
  private final long delayNanos;
  private final AtomicLong accepted = new AtomicLong();
  private final Set<Connection> open = new HashSet<>(); // the loop's thread only
  private volatile boolean closed;

  private DelayProxy(ServerSocketChannel server, InetSocketAddress target, Duration oneWayDelay) {
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
    ServerSocketChannel server = ServerSocketChannel.open();
    server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    server.bind(listen, 4096);
    server.configureBlocking(false);
    DelayProxy proxy = new DelayProxy(server, target, oneWayDelay);
    // Connections queue in the backlog until the loop has registered the listener.
    proxy.loop.execute(
        () -> proxy.loop.register(server, SelectionKey.OP_ACCEPT, key -> proxy.accept()));
    return proxy;
  }

  /** A proxy on 127.0.0.1 on a free port, forwarding to 127.0.0.1:{@code targetPort}. */
  public static DelayProxy startLoopback(int targetPort, Duration oneWayDelay) throws IOException {
    InetAddress lo = InetAddress.getLoopbackAddress();
    return start(new InetSocketAddress(lo, 0), new InetSocketAddress(lo, targetPort), oneWayDelay);
  }

  public int port() {
    return server.socket().getLocalPort();
  }

  public long connectionsAccepted() {
    return accepted.get();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    CountDownLatch done = new CountDownLatch(1);
    loop.execute(
        () -> {
          closeQuietly(server);
          new HashSet<>(open).forEach(Connection::close);
          done.countDown();
        });
    try {
      done.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void accept() {
    try {
      for (SocketChannel client = server.accept(); client != null; client = server.accept()) {
        accepted.incrementAndGet();
        client.configureBlocking(false);
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Connection connection = new Connection(client);
        open.add(connection);
        connection.start();
      }
    } catch (IOException e) {
      if (!closed) {
        System.err.println("DelayProxy: accept failed: " + e.getMessage());
      }
    }
  }

  /** One proxied connection: the client's channel, the upstream one, a direction each way. */
  private final class Connection {
    private final SocketChannel client;
    private SocketChannel upstream;
    private SelectionKey clientKey;
    private SelectionKey upstreamKey;
    private boolean upstreamConnected;
    private final Direction toServer = new Direction();
    private final Direction toClient = new Direction();
    private boolean closed;

    Connection(SocketChannel client) {
      this.client = client;
    }

    void start() {
      clientKey = loop.register(client, SelectionKey.OP_READ, this::clientReady);
      loop.schedule(delayNanos, this::connectUpstream);
    }

    private void connectUpstream() {
      if (closed) {
        return;
      }
      try {
        upstream = SocketChannel.open();
        upstream.configureBlocking(false);
        upstream.setOption(StandardSocketOptions.TCP_NODELAY, true);
        upstreamConnected = upstream.connect(target);
        upstreamKey =
            loop.register(
                upstream,
                upstreamConnected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT,
                this::upstreamReady);
        if (upstreamConnected) {
          flush(toServer, upstream, upstreamKey);
        }
      } catch (IOException | UncheckedIOException e) {
        close();
      }
    }

    private void clientReady(SelectionKey key) {
      try {
        if (key.isReadable()) {
          read(client, key, toServer);
        }
        if (!closed && key.isValid() && key.isWritable()) {
          flush(toClient, client, clientKey);
        }
      } catch (IOException e) {
        close();
      }
    }

    private void upstreamReady(SelectionKey key) {
      try {
        if (key.isConnectable()) {
          upstream.finishConnect();
          upstreamConnected = true;
          key.interestOps(SelectionKey.OP_READ);
          flush(toServer, upstream, upstreamKey);
        }
        if (!closed && key.isValid() && key.isReadable()) {
          read(upstream, key, toClient);
        }
        if (!closed && key.isValid() && key.isWritable()) {
          flush(toServer, upstream, upstreamKey);
        }
      } catch (IOException e) {
        close();
      }
    }

    /** Reads what is there and releases it (or the end of stream) to the other side later. */
    private void read(SocketChannel from, SelectionKey key, Direction direction)
        throws IOException {
      ByteBuffer buffer = loop.readBuffer(CHUNK);
      int n = from.read(buffer);
      if (n > 0) {
        buffer.flip();
        ByteBuffer chunk = ByteBuffer.allocate(n).put(buffer).flip();
        loop.schedule(delayNanos, () -> release(direction, chunk));
      } else if (n < 0) {
        key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        loop.schedule(delayNanos, () -> release(direction, null));
      }
    }

    /** A chunk (null: end of stream) is due on the other side: write it, or queue it. */
    private void release(Direction direction, ByteBuffer chunk) {
      if (closed) {
        return;
      }
      if (chunk == null) {
        direction.endReleased = true;
      } else {
        direction.pending.add(chunk);
      }
      try {
        if (direction == toServer) {
          flush(toServer, upstream, upstreamKey);
        } else {
          flush(toClient, client, clientKey);
        }
      } catch (IOException e) {
        close();
      }
    }

    /** Writes what is released; waits for OP_WRITE when the socket's buffer is full. */
    private void flush(Direction direction, SocketChannel to, SelectionKey key) throws IOException {
      if (to == null || key == null || (to == upstream && !upstreamConnected)) {
        return; // upstream not connected yet: what is due waits in the queue
      }
      while (!direction.pending.isEmpty()) {
        ByteBuffer head = direction.pending.peek();
        to.write(head);
        if (head.hasRemaining()) {
          key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
          return;
        }
        direction.pending.poll();
      }
      key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
      if (direction.endReleased && !direction.shut) {
        direction.shut = true;
        to.shutdownOutput();
        if (toServer.shut && toClient.shut) {
          close();
        }
      }
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      closeQuietly(client);
      if (upstream != null) {
        closeQuietly(upstream);
      }
      open.remove(this);
    }
  }

  /** One direction's chunks that are due but not yet written, and its end of stream. */
  private static final class Direction {
    final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    boolean endReleased;
    boolean shut;
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
