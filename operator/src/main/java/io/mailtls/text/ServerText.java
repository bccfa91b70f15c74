package io.mailtls.text;

import java.util.function.IntFunction;

/**
 * Text that came from a server, made safe to show: control characters removed and length capped, so
 * a hostile server cannot forge log lines or blow up a status object. Invisible format characters
 * (bidi overrides, zero-width spaces), which certificate names may carry, go too: they could make a
 * name read differently from what it is.
 */
public final class ServerText {
  public static final int MAX_LENGTH = 256;

  private ServerText() {}

  public static String clean(String raw) {
    return clean(raw, MAX_LENGTH);
  }

  public static String clean(String raw, int maxLength) {
    return safe(raw, maxLength, c -> c == '\t' ? " " : "", true);
  }

  /**
   * Like {@link #clean}, but a control, surrogate or invisible format character is shown as {@code
   * \xNN} or a backslash, u and four hex digits instead of left out: for a name that is compared
   * with others (an EHLO name), where {@code mx.victim<NUL>.test} must not become {@code
   * mx.victim.test}.
   */
  public static String escaped(String raw, int maxLength) {
    return safe(
        raw,
        maxLength,
        c -> c < 0x100 ? String.format("\\x%02X", (int) c) : String.format("\\u%04X", (int) c),
        false);
  }

  /**
   * {@code raw} capped at {@code maxLength}, each hidden character replaced by {@code shown}, and
   * stripped of outer white space when {@code strip}; "…" marks a text that was cut.
   */
  private static String safe(String raw, int maxLength, IntFunction<String> shown, boolean strip) {
    if (raw == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(Math.min(raw.length(), maxLength));
    for (int i = 0; i < raw.length() && out.length() < maxLength; i++) {
      char c = raw.charAt(i);
      boolean hidden =
          Character.isISOControl(c)
              || Character.isSurrogate(c)
              || Character.getType(c) == Character.FORMAT;
      if (hidden) {
        out.append(shown.apply(c));
      } else {
        out.append(c);
      }
    }
    String result = out.length() > maxLength ? out.substring(0, maxLength) : out.toString();
    if (strip) {
      result = result.strip();
    }
    return raw.length() > maxLength && result.length() == maxLength ? result + "…" : result;
  }
}
