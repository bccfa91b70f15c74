package io.mailtls.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mailtls.text.ServerTextAssertions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Feeds arbitrary bytes, as a hostile server's side of the plain-text dialogue, to the SMTP, IMAP
 * and POP3 STARTTLS dialects. Each input must end in STARTTLS accepted or a classified {@link
 * ProbeException}; never a runtime exception. Whatever the server said reaches results only cleaned
 * and capped.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the committed corpus in {@code
 * src/test/resources/io/mailtls/probe/MailDialogueFuzzTestInputs/<method>} (dialogues of the
 * testbed's real Postfix and Dovecot, captured by {@code scripts/capture-fuzz-seeds.py}).
 */
class MailDialogueFuzzTest {

  @FuzzTest
  void smtp(byte[] serverBytes) throws IOException {
    talk(new SmtpDialect("mailtls.probe"), serverBytes);
  }

  @FuzzTest
  void imap(byte[] serverBytes) throws IOException {
    talk(new ImapDialect(), serverBytes);
  }

  @FuzzTest
  void pop3(byte[] serverBytes) throws IOException {
    talk(new Pop3Dialect(), serverBytes);
  }

  private static void talk(MailDialect dialect, byte[] serverBytes) throws IOException {
    MailConnection connection =
        MailConnection.over(new ByteArrayInputStream(serverBytes), OutputStream.nullOutputStream());
    try {
      dialect.startTls(connection);
    } catch (ProbeException e) {
      assertThat(e.failure().kind()).isNotNull();
      ServerTextAssertions.assertCleanText(e.failure().detail());
    }
    if (connection.greeting() != null) {
      ServerTextAssertions.assertCleanText(connection.greeting());
    }
    assertThat(connection.transcript()).hasSizeLessThanOrEqualTo(64);
    connection.transcript().forEach(ServerTextAssertions::assertCleanText);
  }
}
