package io.mailtls.probe;

import io.mailtls.tls.TestingTls;
import io.mailtls.tls.TlsVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process mail server on a loopback port that plays a scripted conversation on every
 * connection: for the edge cases real servers cannot be made to show (tarpits, garbage, dropped
 * handshakes). Real Postfix, Dovecot and OpenSSL peers are in the {@code *IT} tests.
 */
final class TestingMailServer implements AutoCloseable {

  @FunctionalInterface
  interface Conversation {
    void run(Peer peer) throws Exception;
  }

  /** The server's side of one connection. */
  static final class Peer {
    final Socket socket;
    final InputStream in;
    final OutputStream out;

    Peer(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    void send(String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }

    void sendLines(String... lines) throws IOException {
      send(String.join("\r\n", lines) + "\r\n");
    }

    String readLine() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("client closed");
        }
        line.write(b);
      }
      return line.toString(StandardCharsets.ISO_8859_1).strip();
    }

    /** A minimal SMTP server's side up to the point where TLS starts. */
    void smtpUntilStartTls() throws IOException {
      sendLines("220 mx ESMTP");
      readLine();
      sendLines("250-mx", "250 STARTTLS");
      readLine();
      sendLines("220 ready");
    }

    /**
     * Answers the ClientHello like a real server that speaks {@code versions}: the newest of them
     * the client allows, else a protocol_version alert.
     */
    void answerClientHello(Set<TlsVersion> versions) throws IOException {
      TestingTls.ClientHello hello = TestingTls.readClientHello(in);
      int offered = hello.offeredVersion();
      if (offered == TlsVersion.TLS_1_3.code() && !versions.contains(TlsVersion.TLS_1_3)) {
        offered = hello.clientVersion(); // supported_versions ignored: fall back to legacy_version
      }
      int ceiling = offered;
      TlsVersion chosen =
          versions.stream().filter(v -> v.code() <= ceiling).max(Enum::compareTo).orElse(null);
      if (chosen == null) {
        out.write(TestingTls.alert(70));
      } else if (chosen == TlsVersion.TLS_1_3) {
        out.write(TestingTls.handshakeRecord(TestingTls.serverHello(chosen.code(), 0x1301)));
      } else {
        out.write(
            TestingTls.handshakeRecord(
                TestingTls.serverHello(chosen.code(), 0x002F), TestingTls.serverHelloDone()));
      }
      out.flush();
    }
  }

  private final ServerSocket server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger maxOpen = new AtomicInteger();
  private final AtomicInteger accepted = new AtomicInteger();

  private TestingMailServer(Conversation conversation) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    executor.submit(
        () -> {
          while (!server.isClosed()) {
            Socket socket;
            try {
              socket = server.accept();
            } catch (IOException e) {
              return;
            }
            accepted.incrementAndGet();
            maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            executor.submit(
                () -> {
                  try (socket) {
                    conversation.run(new Peer(socket));
                  } catch (Exception e) {
                    // the client hung up or the test ended: nothing to report
                  } finally {
                    open.decrementAndGet();
                  }
                });
          }
        });
  }

  static TestingMailServer start(Conversation conversation) throws IOException {
    return new TestingMailServer(conversation);
  }

  Endpoint endpoint(MailProtocol protocol) {
    return new Endpoint(protocol, "127.0.0.1", server.getLocalPort());
  }

  int maxConcurrentConnections() {
    return maxOpen.get();
  }

  int connections() {
    return accepted.get();
  }

  @Override
  public void close() throws IOException {
    server.close();
    executor.shutdownNow();
  }

  /** Postfix-like SMTP up to STARTTLS, then a TLS server that speaks {@code versions}. */
  static Conversation smtp(List<String> ehloKeywords, Set<TlsVersion> versions) {
    return peer -> {
      peer.sendLines("220 mx.test.local ESMTP Postfix (Debian/GNU)");
      peer.readLine(); // EHLO
      StringBuilder reply = new StringBuilder("250-mx.test.local\r\n");
      for (int i = 0; i < ehloKeywords.size(); i++) {
        reply.append(i == ehloKeywords.size() - 1 ? "250 " : "250-");
        reply.append(ehloKeywords.get(i)).append("\r\n");
      }
      peer.send(reply.toString());
      if (!ehloKeywords.contains("STARTTLS")) {
        peer.readLine();
        return;
      }
      peer.readLine(); // STARTTLS
      peer.sendLines("220 2.0.0 Ready to start TLS");
      peer.answerClientHello(versions);
    };
  }
}
