package io.mailtls.text;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Kubernetes writes them: {@code 500ms}, {@code 90s}, {@code 15m}, {@code 1h30m}. */
public final class Durations {
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");
  private static final Map<String, Long> MILLIS_PER_UNIT =
      Map.of("ms", 1L, "s", 1_000L, "m", 60_000L, "h", 3_600_000L);

  private Durations() {}

  /** Throws IllegalArgumentException naming the text when it is not a duration. */
  public static Duration parse(String text) {
    Matcher part = PART.matcher(text);
    BigDecimal millis = BigDecimal.ZERO;
    int end = 0;
    while (part.find() && part.start() == end) {
      millis =
          millis.add(
              new BigDecimal(part.group(1))
                  .multiply(BigDecimal.valueOf(MILLIS_PER_UNIT.get(part.group(2)))));
      end = part.end();
    }
    if (end == 0 || end != text.length()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration such as 90s, 15m or 1h30m");
    }
    try {
      return Duration.ofMillis(millis.longValueExact());
    } catch (ArithmeticException tooLong) {
      throw new IllegalArgumentException("'" + text + "' is longer than any duration this takes");
    }
  }

  /** The same form back: {@code 24h}, {@code 1h30m}, {@code 90s}; milliseconds only when needed. */
  public static String format(Duration duration) {
    StringBuilder text = new StringBuilder();
    long hours = duration.toHours();
    int minutes = duration.toMinutesPart();
    int seconds = duration.toSecondsPart();
    int millis = duration.toMillisPart();
    if (hours > 0) {
      text.append(hours).append('h');
    }
    if (minutes > 0) {
      text.append(minutes).append('m');
    }
    if (seconds > 0) {
      text.append(seconds).append('s');
    }
    if (millis > 0 || text.isEmpty()) {
      text.append(millis).append("ms");
    }
    return text.toString();
  }
}
