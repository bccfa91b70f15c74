package io.mailtls.http;

import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** What a request to one of the {@link AdminServer}'s computed paths gets. */
public sealed interface Answer {
  /** 200 with these series, in the format and encoding Prometheus asks for (as /metrics). */
  record Series(PrometheusRegistry registry) implements Answer {}

  /**
   * A status with one line of plain text: a reason that names the problem (400, 503), or what was
   * done (a reload's 200).
   */
  record Text(int status, String line) implements Answer {
    public Text {
      if (line.contains("\n")) {
        throw new IllegalArgumentException("one line only: " + line);
      }
    }
  }
}
