package io.mailtls.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServerTextAndSoftwareTest {
  @Test
  void controlCharactersAreRemovedAndLengthIsCapped() {
    assertThat(ServerText.clean("220 evil\u001b[31m\u0000 host\r\nX-Injected: yes"))
        .isEqualTo("220 evil[31m hostX-Injected: yes");
    assertThat(ServerText.clean("x".repeat(1000))).hasSize(ServerText.MAX_LENGTH + 1).endsWith("…");
    // A right-to-left override and a zero-width space, as a certificate name could carry them.
    assertThat(ServerText.clean("CN=mail.\u202Egro.elpmaxe\u200B.test"))
        .isEqualTo("CN=mail.gro.elpmaxe.test");
  }

  @Test
  void softwareIsRecognisedFromGreetingsAndKeywords() {
    assertThat(
            ServerSoftware.detect(
                List.of("220 mx.contoso.com Microsoft ESMTP MAIL Service ready at Mon")))
        .isEqualTo(ServerSoftware.MICROSOFT_EXCHANGE);
    assertThat(
            ServerSoftware.detect(
                List.of("220 mx ESMTP", "250-mx Hello", "250-XRDST", "250 STARTTLS")))
        .isEqualTo(ServerSoftware.MICROSOFT_EXCHANGE);
    assertThat(ServerSoftware.detect(List.of("220 mail.example.org ESMTP Exim 4.96 Mon, 01 Jan")))
        .isEqualTo(ServerSoftware.EXIM);
    assertThat(
            ServerSoftware.detect(List.of("* OK [CAPABILITY IMAP4rev1] Dovecot (Debian) ready.")))
        .isEqualTo(ServerSoftware.DOVECOT);
    assertThat(ServerSoftware.detect(List.of("220 mx ESMTP Sendmail 8.17.1/8.17.1;")))
        .isEqualTo(ServerSoftware.SENDMAIL);
    assertThat(ServerSoftware.detect(List.of("220 mx ESMTP ready")))
        .isEqualTo(ServerSoftware.UNKNOWN);
  }
}
