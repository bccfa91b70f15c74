package io.mailtls.receiver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A scripted SMTP client for receiver tests: plaintext, then JSSE TLS after STARTTLS. */
final class TestingSender implements AutoCloseable {
  private Socket socket;
  private BufferedReader in;
  private OutputStream out;

  TestingSender(int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    attach();
  }

  private void attach() throws IOException {
    in =
        new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    out = socket.getOutputStream();
  }

  /** The whole reply, lines joined with \n (multi-line replies end at "NNN "). */
  String reply() throws IOException {
    StringBuilder reply = new StringBuilder();
    while (true) {
      String line = in.readLine();
      if (line == null) {
        return reply.isEmpty() ? null : reply.toString();
      }
      reply.append(reply.isEmpty() ? "" : "\n").append(line);
      if (line.length() < 4 || line.charAt(3) != '-') {
        return reply.toString();
      }
    }
  }

  String send(String command) throws IOException {
    raw((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
    return reply();
  }

  void raw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The raw bytes the receiver sends until it closes (at most {@code max}). */
  byte[] readToEnd(int max) throws IOException {
    return socket.getInputStream().readNBytes(max);
  }

  /** Upgrades to TLS with JSSE, trusting any certificate, offering the given protocols. */
  void startTls(String serverName, String... protocols) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
    SSLSocket tls =
        (SSLSocket)
            context.getSocketFactory().createSocket(socket, serverName, socket.getPort(), true);
    tls.setEnabledProtocols(protocols);
    SSLParameters parameters = tls.getSSLParameters();
    tls.setSSLParameters(parameters);
    tls.startHandshake();
    socket = tls;
    attach();
  }

  String negotiatedProtocol() {
    return ((SSLSocket) socket).getSession().getProtocol();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
