package io.mailtls.exporter;

import io.mailtls.text.Durations;
import io.mailtls.text.ServerText;
import java.time.Duration;

/**
 * How long one probe may take: the scrape's own timeout, which Prometheus sends in {@code
 * X-Prometheus-Scrape-Timeout-Seconds} (read as blackbox_exporter reads it), less a margin for the
 * answer to be rendered and sent, and never more than the module's timeout. A request without the
 * header (curl) gets the module's timeout.
 *
 * @param duration the probe's budget, counted from when the request came
 * @param slack half the margin: how much longer than the budget one connection (or an MX look-up)
 *     may take, so that the probe's deadline, not a connection's own timeout, ends a probe that
 *     runs out of time (it is then DeadlineExceeded, whatever step it was in), while an MX look-up,
 *     which runs before the deadline is watched, still ends within the scrape's timeout
 * @param name what the budget is, for the explanation of an endpoint cut short by it
 */
record ScrapeBudget(Duration duration, Duration slack, String name) {
  static final String HEADER = "X-Prometheus-Scrape-Timeout-Seconds";

  /**
   * Blackbox's default {@code --timeout-offset}; a quarter of the scrape timeout when that is less
   * than 2 s, so that a short timeout still leaves most of itself to the probe.
   */
  static final Duration MARGIN = Duration.ofMillis(500);

  /** The timeout of each connection and look-up of the probe: the budget and the slack. */
  Duration connectionTimeout() {
    return duration.plus(slack);
  }

  /**
   * The budget for a request with this header value (null when absent) and module timeout.
   *
   * @throws IllegalArgumentException naming the header when its value is not a positive number
   */
  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile("[0-9]{1,9}(\\.[0-9]{1,9})?");

  static ScrapeBudget of(String header, ProbeModule module) {
    Duration timeout = module.timeout();
    String moduleTimeout =
        "the timeout of module " + module.name() + " (" + Durations.format(timeout) + ")";
    if (header == null) {
      return new ScrapeBudget(timeout, MARGIN.dividedBy(2), moduleTimeout);
    }
    double seconds;
    // Plain decimals only, as Prometheus writes it ("10", "2.5"): parseDouble alone would take
    // "5d" and "0x1p3".
    String text = header.strip();
    seconds = DECIMAL.matcher(text).matches() ? Double.parseDouble(text) : Double.NaN;
    if (!(seconds > 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException(
          HEADER
              + ": '"
              + ServerText.escaped(header, 40)
              + "' is not a positive number of seconds");
    }
    // A scrape timeout longer than any module's cannot matter, and must not overflow below.
    // Rounded down: the probe must end within the scrape's timeout, not a millisecond after.
    Duration scrape = Duration.ofMillis((long) Math.floor(Math.min(seconds, 86_400) * 1000));
    Duration margin = scrape.dividedBy(4).compareTo(MARGIN) < 0 ? scrape.dividedBy(4) : MARGIN;
    Duration budget = scrape.minus(margin);
    if (budget.compareTo(timeout) >= 0) {
      return new ScrapeBudget(timeout, margin.dividedBy(2), moduleTimeout);
    }
    return new ScrapeBudget(
        budget,
        margin.dividedBy(2),
        "the scrape's deadline: "
            + Durations.format(budget)
            + " ("
            + HEADER
            + " "
            + Durations.format(scrape)
            + " less "
            + Durations.format(margin)
            + ")");
  }
}
