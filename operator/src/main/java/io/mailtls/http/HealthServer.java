package io.mailtls.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The health port: {@code /healthz} and {@code /readyz} for the kubelet, which restarts the pod
 * when they fail. So they must answer whatever else connects: connections that send nothing (80
 * idle ones held the JDK's server, which waits 10 s for a request, and failed every probe) give way
 * to new ones. At most {@link #MAX_CONNECTIONS} are open; a new one closes the oldest that is still
 * waiting for its request, and a request must arrive within {@link #REQUEST_MILLIS}. One request
 * per connection, exact paths, GET and HEAD only.
 */
public final class HealthServer implements AutoCloseable {
  static final int MAX_CONNECTIONS = 64;
  static final int REQUEST_MILLIS = 5_000;
  private static final int MAX_REQUEST_BYTES = 8192;

  private final ServerSocket server;
  private final Map<String, BooleanSupplier> checks = new ConcurrentHashMap<>();

  /** Open connections, oldest first. */
  private final Set<Socket> open = new LinkedHashSet<>();

  private final Thread acceptor;

  private HealthServer(ServerSocket server) {
    this.server = server;
    this.acceptor = Thread.ofPlatform().daemon().name("mailtls-health").start(this::acceptLoop);
  }

  /** Listens at {@code address} (port 0 picks a free one). */
  public static HealthServer start(InetSocketAddress address) throws IOException {
    ServerSocket server = new ServerSocket();
    try {
      server.setReuseAddress(true);
      server.bind(address, 128);
    } catch (BindException e) {
      server.close();
      throw new BindException("cannot listen on port " + address.getPort() + ": " + e.getMessage());
    }
    return new HealthServer(server);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code path} answers 200 "ok" while {@code check} holds, else 503. */
  public HealthServer check(String path, BooleanSupplier check) {
    checks.put(path, check);
    return this;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        admit(socket);
        Thread.ofVirtual().start(() -> serve(socket));
      } catch (IOException | RuntimeException e) {
        if (!server.isClosed()) {
          pause(); // out of file descriptors, say: do not spin
        }
      }
    }
  }

  private void admit(Socket socket) {
    Socket oldest = null;
    synchronized (open) {
      if (open.size() >= MAX_CONNECTIONS) {
        Iterator<Socket> first = open.iterator();
        oldest = first.next();
        first.remove();
      }
      open.add(socket);
    }
    if (oldest != null) {
      closeQuietly(oldest);
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setSoTimeout(REQUEST_MILLIS);
      long deadline = System.currentTimeMillis() + REQUEST_MILLIS;
      String requestLine = readRequest(socket.getInputStream(), deadline, socket);
      if (requestLine != null) {
        synchronized (open) {
          open.remove(socket); // answered now: no longer one that a new connection may close
        }
        respond(socket.getOutputStream(), requestLine);
      }
    } catch (IOException e) {
      // Gone, silent or closed to make room: nothing to answer.
    } finally {
      synchronized (open) {
        open.remove(socket);
      }
    }
  }

  /** The request line, once the whole head has arrived; null when it did not in time. */
  private static String readRequest(InputStream in, long deadline, Socket socket)
      throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream(256);
    int lineLength = 0;
    while (head.size() < MAX_REQUEST_BYTES) {
      int left = (int) (deadline - System.currentTimeMillis());
      if (left <= 0) {
        return null;
      }
      socket.setSoTimeout(left);
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      if (b == '\n') {
        if (lineLength == 0 && head.size() > 2) { // the blank line after the headers
          String text = head.toString(StandardCharsets.ISO_8859_1);
          return text.substring(0, text.indexOf('\n')).strip();
        }
        lineLength = 0;
      } else if (b != '\r') {
        lineLength++;
      }
    }
    return null;
  }

  private void respond(OutputStream out, String requestLine) throws IOException {
    String[] parts = requestLine.split(" ");
    String method = parts[0];
    String path = parts.length > 1 ? parts[1].replaceFirst("\\?.*", "") : "";
    BooleanSupplier check = checks.get(path);
    String allow = "";
    int status;
    String body;
    if (check == null) {
      status = 404;
      body = "not found\n";
    } else if (!method.equals("GET") && !method.equals("HEAD")) {
      status = 405;
      body = "method not allowed\n";
      allow = "Allow: GET, HEAD\r\n";
    } else {
      boolean ok = passes(check);
      status = ok ? 200 : 503;
      body = ok ? "ok\n" : "not ok\n";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String headers =
        "HTTP/1.1 "
            + status
            + " "
            + reason(status)
            + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
            + bytes.length
            + "\r\n"
            + allow
            + "Connection: close\r\n\r\n";
    out.write(headers.getBytes(StandardCharsets.US_ASCII));
    if (!method.equals("HEAD")) {
      out.write(bytes);
    }
    out.flush();
  }

  /** A check that fails with an exception fails: 503, never a connection closed unanswered. */
  private static boolean passes(BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      default -> "Service Unavailable";
    };
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing anyway.
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // Closing anyway.
    }
    synchronized (open) {
      open.forEach(HealthServer::closeQuietly);
      open.clear();
    }
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
