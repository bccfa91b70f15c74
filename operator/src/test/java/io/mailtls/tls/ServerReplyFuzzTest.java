package io.mailtls.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mailtls.text.ServerTextAssertions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateException;

/**
 * Feeds arbitrary bytes to the TLS record and ServerHello reader, as a hostile server would send
 * them after our ClientHello. The reader must classify every input: a {@link ServerReply}, or an
 * I/O error for a stream that ends inside a record; never a runtime exception, and never more than
 * its limits.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the committed corpus in {@code
 * src/test/resources/io/mailtls/tls/ServerReplyFuzzTestInputs/serverReply} (first flights of the
 * testbed's real servers, captured by {@code scripts/capture-fuzz-seeds.py}); the build's fuzz
 * executions run the fuzzer itself for a bounded time.
 */
class ServerReplyFuzzTest {
  private static final int MAX_BYTES = ServerReplyReader.MAX_HANDSHAKE_BYTES;

  @FuzzTest
  void serverReply(byte[] wire) {
    ServerReply reply;
    try {
      reply = new ServerReplyReader(new ByteArrayInputStream(wire), MAX_BYTES).read();
    } catch (IOException e) {
      return; // the peer closed inside a record before any ServerHello: a handshake drop
    }
    switch (reply) {
      case ServerReply.Hello hello -> {
        assertThat(hello.certificates()).hasSizeLessThanOrEqualTo(16);
        assertThat(hello.certificates().stream().mapToInt(c -> c.length).sum())
            .isLessThanOrEqualTo(MAX_BYTES);
        try {
          hello.chain();
        } catch (CertificateException e) {
          // an unparseable chain is reported as "no certificate"
        }
      }
      case ServerReply.NotTls notTls -> ServerTextAssertions.assertCleanText(notTls.preview());
      case ServerReply.Alert alert -> assertThat(alert.name()).isNotBlank();
      case ServerReply.Closed closed -> {}
      case ServerReply.Inconclusive inconclusive -> assertThat(inconclusive.why()).isNotBlank();
    }
  }
}
