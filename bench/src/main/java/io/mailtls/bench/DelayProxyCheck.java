package io.mailtls.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Checks the {@link DelayProxy} before figure (b) relies on it: through a loopback echo server, (1)
 * a one-byte ping-pong costs one round trip of twice the delay, and (2) many concurrent connections
 * each get back exactly the bytes they sent, in order.
 */
final class DelayProxyCheck {
  record Result(double pingMillis, int connections, long bytes, int corrupted, double wallMillis) {
    boolean ok(Duration oneWay) {
      double rtt = 2.0 * oneWay.toMillis();
      return corrupted == 0 && pingMillis >= rtt && pingMillis < rtt + 20;
    }
  }

  private DelayProxyCheck() {}

  static Result run(Duration oneWay, int connections, int bytesPerConnection) throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    // threads is closed last: closing it waits for the echo loop, which ends with the socket
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        ServerSocket echo = new ServerSocket(0, 4096, lo)) {
      threads.submit(() -> echoLoop(echo, threads));
      try (DelayProxy proxy = DelayProxy.startLoopback(echo.getLocalPort(), oneWay)) {
        InetSocketAddress via = new InetSocketAddress(lo, proxy.port());
        double ping = ping(via);

        long t0 = System.nanoTime();
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
          long seed = i;
          results.add(threads.submit(() -> roundTrip(via, bytesPerConnection, seed)));
        }
        int corrupted = 0;
        for (Future<Boolean> r : results) {
          corrupted += r.get() ? 0 : 1;
        }
        double wall = (System.nanoTime() - t0) / 1e6;
        echo.close();
        return new Result(
            ping, connections, (long) connections * bytesPerConnection, corrupted, wall);
      }
    }
  }

  /**
   * The median of 11 one-byte exchanges on one connection through the proxy, after 3 unmeasured.
   */
  private static double ping(InetSocketAddress via) throws IOException {
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.connect(via, 5_000);
      s.setSoTimeout(10_000);
      double[] times = new double[11];
      for (int i = -3; i < times.length; i++) {
        long t0 = System.nanoTime();
        s.getOutputStream().write(i & 0xff);
        s.getOutputStream().flush();
        if (s.getInputStream().read() != (i & 0xff)) {
          throw new IOException("ping through the proxy came back wrong");
        }
        if (i >= 0) {
          times[i] = (System.nanoTime() - t0) / 1e6;
        }
      }
      Arrays.sort(times);
      return times[times.length / 2];
    }
  }

  /** Sends random bytes in uneven chunks, half-closes, and compares what comes back. */
  private static boolean roundTrip(InetSocketAddress via, int size, long seed) throws IOException {
    byte[] sent = new byte[size];
    Random random = new Random(seed);
    random.nextBytes(sent);
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.connect(via, 5_000);
      s.setSoTimeout(30_000);
      Thread writer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      OutputStream out = s.getOutputStream();
                      for (int off = 0; off < size; ) {
                        int n = Math.min(size - off, 1 + random.nextInt(4096));
                        out.write(sent, off, n);
                        off += n;
                      }
                      s.shutdownOutput();
                    } catch (IOException ignored) {
                      // the reader sees the short answer
                    }
                  });
      byte[] got = s.getInputStream().readAllBytes();
      writer.join();
      return Arrays.equals(sent, got);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void echoLoop(ServerSocket server, ExecutorService threads) {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        threads.submit(
            () -> {
              try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                in.transferTo(out);
                s.shutdownOutput();
              } catch (IOException ignored) {
                // the client decides whether the exchange was intact
              }
            });
      } catch (IOException e) {
        return;
      }
    }
  }
}
