package io.mailtls.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerTextTest {
  @Test
  void controlCharactersAreRemovedAndLengthIsCapped() {
    assertThat(ServerText.clean("220 evil\u001b[31m\u0000 host\r\nX-Injected: yes"))
        .isEqualTo("220 evil[31m hostX-Injected: yes");
    assertThat(ServerText.clean("x".repeat(1000))).hasSize(ServerText.MAX_LENGTH + 1).endsWith("…");
    // A right-to-left override and a zero-width space, as a certificate name could carry them.
    assertThat(ServerText.clean("CN=mail.\u202Egro.elpmaxe\u200B.test"))
        .isEqualTo("CN=mail.gro.elpmaxe.test");
  }
}
