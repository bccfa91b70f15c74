package io.mailtls.text;

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
    if (raw == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(Math.min(raw.length(), maxLength));
    for (int i = 0; i < raw.length() && out.length() < maxLength; i++) {
      char c = raw.charAt(i);
      if (c == '\t') {
        out.append(' ');
      } else if (!Character.isISOControl(c)
          && !Character.isSurrogate(c)
          && Character.getType(c) != Character.FORMAT) {
        out.append(c);
      }
    }
    String result = out.toString().strip();
    return raw.length() > maxLength && result.length() == maxLength ? result + "…" : result;
  }

  /**
   * Like {@link #clean}, but a control, surrogate or invisible format character is shown as {@code
   * \xNN} or a backslash, u and four hex digits instead of left out: for a name that is compared
   * with others (an EHLO name), where {@code mx.victim<NUL>.test} must not become {@code
   * mx.victim.test}.
   */
  public static String escaped(String raw, int maxLength) {
    if (raw == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(Math.min(raw.length(), maxLength));
    for (int i = 0; i < raw.length() && out.length() < maxLength; i++) {
      char c = raw.charAt(i);
      if (Character.isISOControl(c)
          || Character.isSurrogate(c)
          || Character.getType(c) == Character.FORMAT) {
        out.append(
            c < 0x100 ? String.format("\\x%02X", (int) c) : String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    String result = out.length() > maxLength ? out.substring(0, maxLength) : out.toString();
    return raw.length() > maxLength && result.length() == maxLength ? result + "…" : result;
  }
}
