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
public final class TestingSender implements AutoCloseable {
  private Socket socket;
  private Socket tcp;
  private BufferedReader in;
  private OutputStream out;

  public TestingSender(int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    tcp = socket;
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
  public String reply() throws IOException {
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

  public String send(String command) throws IOException {
    raw((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
    return reply();
  }

  public void raw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The raw bytes the receiver sends until it closes (at most {@code max}). */
  public byte[] readToEnd(int max) throws IOException {
    return socket.getInputStream().readNBytes(max);
  }

  /** Upgrades to TLS with JSSE, trusting any certificate, offering the given protocols. */
  public void startTls(String serverName, String... protocols) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
    startTls(context, serverName, protocols);
  }

  /**
   * Upgrades to TLS as a sender that verifies the receiver's certificate against the JDK's trust
   * store: for a self-signed receiver, the handshake fails with the client's certificate alert.
   */
  public void startTlsVerifying(String serverName, String... protocols) throws Exception {
    startTls(SSLContext.getDefault(), serverName, protocols);
  }

  private void startTls(SSLContext context, String serverName, String... protocols)
      throws Exception {
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

  /** Closes the TCP connection under TLS without a close_notify, as many senders do. */
  public void hangUp() throws IOException {
    tcp.close();
  }

  /** Resets the TCP connection (RST), as a sender's crash or a middlebox would. */
  public void reset() throws IOException {
    tcp.setSoLinger(true, 0);
    tcp.close();
  }

  public String negotiatedProtocol() {
    return ((SSLSocket) socket).getSession().getProtocol();
  }

  /** A minimal legacy ClientHello: the given client version, static-RSA suites, no extensions. */
  public static byte[] legacyHello(int version) {
    byte[] body = new byte[2 + 32 + 1 + 2 + 4 + 2];
    body[0] = (byte) (version >> 8);
    body[1] = (byte) version;
    int i = 34;
    body[i++] = 0; // session id
    body[i++] = 0;
    body[i++] = 4;
    body[i++] = 0x00;
    body[i++] = 0x2F;
    body[i++] = 0x00;
    body[i++] = 0x0A;
    body[i++] = 1; // compression: null
    body[i] = 0;
    byte[] record = new byte[5 + 4 + body.length];
    record[0] = 22;
    record[1] = 3;
    record[2] = 1;
    record[3] = (byte) ((4 + body.length) >> 8);
    record[4] = (byte) (4 + body.length);
    record[5] = 1;
    record[8] = (byte) body.length;
    System.arraycopy(body, 0, record, 9, body.length);
    return record;
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
