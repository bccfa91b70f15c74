package io.mailtls.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/**
 * A TCP proxy on loopback that passes the first {@code passBytes} a server sends on each connection
 * at once, then trickles the rest one byte at a time: the peer that keeps every per-read timeout
 * from firing.
 */
final class TestingTrickleProxy implements AutoCloseable {
  private final ServerSocket listener;

  private TestingTrickleProxy(ServerSocket listener) {
    this.listener = listener;
  }

  static TestingTrickleProxy start(int serverPort, int passBytes, Duration perByte)
      throws IOException {
    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              while (!listener.isClosed()) {
                try {
                  Socket client = listener.accept();
                  Thread.ofVirtual().start(() -> relay(client, serverPort, passBytes, perByte));
                } catch (IOException closed) {
                  return;
                }
              }
            });
    return new TestingTrickleProxy(listener);
  }

  int port() {
    return listener.getLocalPort();
  }

  private static void relay(Socket client, int serverPort, int passBytes, Duration perByte) {
    try (client;
        Socket server = new Socket()) {
      server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort), 2_000);
      Thread upstream = Thread.ofVirtual().start(() -> copy(client, server));
      try {
        InputStream in = server.getInputStream();
        OutputStream out = client.getOutputStream();
        for (int sent = 0, b; (b = in.read()) >= 0; sent++) {
          if (sent >= passBytes) {
            Thread.sleep(perByte);
          }
          out.write(b);
          out.flush();
        }
      } finally {
        upstream.interrupt();
      }
    } catch (IOException | InterruptedException ended) {
      // either side went away: so does the other (try-with-resources)
    }
  }

  private static void copy(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
    } catch (IOException ended) {
      // the relay closes both sockets
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
