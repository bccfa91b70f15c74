package io.mailtls.probe;

import static org.assertj.core.api.Assertions.assertThat;

/** What every piece of server text must look like once it leaves the probe package. */
final class FuzzAssertions {
  private FuzzAssertions() {}

  /** No control or format characters (no forged log lines), no lone surrogates, capped length. */
  static void assertCleanText(String text) {
    assertThat(text).isNotNull();
    assertThat(text.length()).isLessThanOrEqualTo(ServerText.MAX_LENGTH + 1);
    for (char c : text.toCharArray()) {
      assertThat(
              Character.isISOControl(c)
                  || Character.isSurrogate(c)
                  || Character.getType(c) == Character.FORMAT)
          .as("character U+%04X in %s", (int) c, text)
          .isFalse();
    }
  }
}
