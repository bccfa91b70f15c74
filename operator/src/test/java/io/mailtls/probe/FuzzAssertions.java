package io.mailtls.probe;

import static org.assertj.core.api.Assertions.assertThat;

/** What every piece of server text must look like once it leaves the probe package. */
final class FuzzAssertions {
  private FuzzAssertions() {}

  /** No control characters (no forged log lines), no lone surrogates, and capped in length. */
  static void assertCleanText(String text) {
    assertThat(text).isNotNull();
    assertThat(text.length()).isLessThanOrEqualTo(ServerText.MAX_LENGTH + 1);
    for (char c : text.toCharArray()) {
      assertThat(Character.isISOControl(c) || Character.isSurrogate(c))
          .as("character U+%04X in %s", (int) c, text)
          .isFalse();
    }
  }
}
