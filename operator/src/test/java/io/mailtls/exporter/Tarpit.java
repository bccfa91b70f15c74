package io.mailtls.exporter;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A loopback port that accepts connections and never says a word: a mail server that hangs, which
 * only a deadline ends.
 */
final class Tarpit implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.Semaphore accepted = new java.util.concurrent.Semaphore(0);

  Tarpit() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              while (!server.isClosed()) {
                try {
                  held.add(server.accept());
                  accepted.release();
                } catch (IOException closed) {
                  return;
                }
              }
            });
  }

  String target() {
    return "smtp://127.0.0.1:" + server.getLocalPort();
  }

  int connections() {
    return held.size();
  }

  /**
   * Waits until {@code count} connections came here (a probe opens one per version at once), so
   * that the probe is certainly under way and has made all it will make.
   */
  void awaitConnections(int count) throws InterruptedException {
    if (!accepted.tryAcquire(count, 10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("fewer than " + count + " connections came to the tarpit");
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : held) {
      socket.close();
    }
  }
}
