package io.mailtls.probe;

import io.mailtls.tls.TlsVersion;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Scripted SMTP servers on loopback for the tests of what sits above the engine in other packages
 * (the exporter's): a {@link TestingMailServer} behind a public face.
 */
public final class TestingSmtp implements AutoCloseable {
  private final TestingMailServer server;

  private TestingSmtp(TestingMailServer server) {
    this.server = server;
  }

  /** Postfix-like: offers STARTTLS, then speaks exactly {@code versions}. */
  public static TestingSmtp speaking(TlsVersion... versions) throws IOException {
    return new TestingSmtp(
        TestingMailServer.start(
            TestingMailServer.smtp(List.of("PIPELINING", "STARTTLS"), Set.of(versions))));
  }

  /** Postfix-like without STARTTLS in its EHLO reply. */
  public static TestingSmtp withoutStartTls() throws IOException {
    return new TestingSmtp(
        TestingMailServer.start(TestingMailServer.smtp(List.of("PIPELINING"), Set.of())));
  }

  public int port() {
    return server.endpoint(MailProtocol.SMTP).port();
  }

  /** {@code smtp://127.0.0.1:PORT}. */
  public String target() {
    return server.endpoint(MailProtocol.SMTP).toString();
  }

  /** Connections accepted so far. */
  public int connections() {
    return server.connections();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
