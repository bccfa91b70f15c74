package io.mailtls.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtls.dns.TestingDnsServer;
import io.mailtls.http.Answer;
import io.mailtls.http.Request;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.probe.ConnectionGuard;
import io.mailtls.probe.EndpointProber;
import io.mailtls.probe.ProbeSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** A probe ends within the scrape's timeout even where DNS does not answer an interrupt. */
class ProbeDeadlineTest {
  @Test
  void aSlowMxAnswerThenSilentAddressesStillAnswerWithinTheScrapeTimeout() throws Exception {
    try (TestingDnsServer dns = TestingDnsServer.start()) {
      dns.answer("slow.test", Type.MX, TestingDnsServer.mx("slow.test", 10, "mx.slow.test"))
          .slow("slow.test", Type.MX, Duration.ofMillis(1500))
          .ignore("mx.slow.test", Type.A)
          .ignore("mx.slow.test", Type.AAAA);
      ProbeExporter exporter =
          ProbeExporter.start(
              new EndpointProber(
                  ProbeSettings.defaults()
                      .withDnsServer(dns.address())
                      .withGuard(new ConnectionGuard(Set.of(), List.of()))),
              null,
              Duration.ofMinutes(1),
              20,
              new MailTlsMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
              Clock.systemUTC());
      Map<String, String> headers = Map.of("X-Prometheus-Scrape-Timeout-Seconds", "3");
      long start = System.nanoTime();

      Answer answer =
          exporter.answer(new Request(Map.of("target", "mx://slow.test"), headers::get));

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(answer).isInstanceOf(Answer.Series.class);
    }
  }
}
