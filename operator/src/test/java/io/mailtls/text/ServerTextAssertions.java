package io.mailtls.text;

import static org.assertj.core.api.Assertions.assertThat;

/** What every piece of server text must look like once it leaves the probe package. */
public final class ServerTextAssertions {
  private ServerTextAssertions() {}

  /** Cleaned ({@link #assertNoHiddenCharacters}) and capped at ServerText's length. */
  public static void assertCleanText(String text) {
    assertThat(text).isNotNull();
    assertThat(text.length()).isLessThanOrEqualTo(ServerText.MAX_LENGTH + 1);
    assertNoHiddenCharacters(text);
  }

  /** No control or format characters (no forged log lines), no lone surrogates. */
  public static void assertNoHiddenCharacters(String text) {
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
