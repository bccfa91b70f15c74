package io.mailtls.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSoftwareTest {
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
