package io.mailtls.bench;

import io.mailtls.api.EndpointStatus;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.api.StatusSummary;
import io.mailtls.metrics.MailTlsMetrics;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One /metrics scrape at scale: the endpoint series rendered from {@code endpoints} endpoints in
 * policies of 5 (as in figure (e)), plus the JVM meters, written in the Prometheus text format,
 * plain and gzipped, into a sink that only counts bytes. {@link MetricsScrape} runs it and reports
 * the sizes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ScrapeBenchmark {
  @Param("10000")
  public int endpoints;

  private PrometheusRegistry registry;
  private final PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);

  @Setup
  public void setUp() {
    registry = fill(MailTlsMetrics.withJvmMetrics(), endpoints).prometheusRegistry();
  }

  @Benchmark
  public long text() throws IOException {
    return render(registry, writer, false);
  }

  @Benchmark
  public long textGzip() throws IOException {
    return render(registry, writer, true);
  }

  /** Bytes of one scrape, as served (gzip: compressed bytes). */
  static long render(PrometheusRegistry registry, PrometheusTextFormatWriter writer, boolean gzip)
      throws IOException {
    CountingSink sink = new CountingSink();
    if (gzip) {
      try (GZIPOutputStream out = new GZIPOutputStream(sink, 8192)) {
        writer.write(out, registry.scrape());
      }
    } else {
      writer.write(sink, registry.scrape());
    }
    return sink.bytes;
  }

  /**
   * {@code endpoints} endpoints in policies of 5, every verdict and version pattern represented,
   * with certificate and software like a real fleet.
   */
  static MailTlsMetrics fill(MailTlsMetrics metrics, int endpoints) {
    String[][] patterns = {
      {"Compliant", "TLSv1.2 TLSv1.3"},
      {"DeprecatedTLSAccepted", "TLSv1.0 TLSv1.1 TLSv1.2 TLSv1.3"},
      {"NoModernTLS", "TLSv1.0 TLSv1.1"},
      {"Compliant", "TLSv1.2"},
      {"Unreachable", ""}
    };
    String[] schemes = {"smtp", "submission", "imap", "imaps", "pop3"};
    for (int p = 0; p * 5 < endpoints; p++) {
      List<EndpointStatus> list = new ArrayList<>();
      for (int e = 0; e < 5 && p * 5 + e < endpoints; e++) {
        String[] pattern = patterns[(p + e) % patterns.length];
        List<String> accepted = pattern[1].isEmpty() ? List.of() : List.of(pattern[1].split(" "));
        list.add(
            new EndpointStatus(
                schemes[e] + "://mail" + p + ".example-" + (p % 97) + ".com:" + port(schemes[e]),
                null,
                accepted,
                null,
                accepted.isEmpty() ? null : accepted.getLast(),
                pattern[0],
                accepted.isEmpty() ? "ConnectionRefused" : null,
                "…",
                null,
                accepted.isEmpty() ? null : "2027-03-01T00:00:00Z",
                e % 2 == 0 ? "Postfix" : "Dovecot",
                "2026-11-30T10:00:00Z",
                null,
                null,
                null));
      }
      metrics.show(
          "tenant-" + (p % 50),
          "policy-" + p,
          Duration.ofMinutes(15),
          new MailEndpointPolicyStatus(
              1L, "2026-11-30T10:00:00Z", new StatusSummary(list.size(), 0, 0, 0), list, null));
    }
    return metrics;
  }

  private static int port(String scheme) {
    return switch (scheme) {
      case "smtp" -> 25;
      case "submission" -> 587;
      case "imap" -> 143;
      case "imaps" -> 993;
      default -> 110;
    };
  }

  private static final class CountingSink extends OutputStream {
    long bytes;

    @Override
    public void write(int b) {
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
    }
  }
}
