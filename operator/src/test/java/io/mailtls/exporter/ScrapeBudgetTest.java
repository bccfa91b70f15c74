package io.mailtls.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtls.compliance.CompliancePolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The probe's budget: the scrape's timeout less the margin, capped by the module's timeout. */
class ScrapeBudgetTest {
  private static final ProbeModule TEN_SECONDS = ProbeModule.defaults();
  private static final ProbeModule FIVE_SECONDS =
      new ProbeModule("fast", CompliancePolicy.DEFAULT, Duration.ofSeconds(5), null, null, null);

  @Test
  void theScrapeTimeoutLessHalfASecondIsTheBudget() {
    ScrapeBudget budget = ScrapeBudget.of("10", TEN_SECONDS);

    assertThat(budget.duration()).isEqualTo(Duration.ofMillis(9500));
    assertThat(budget.connectionTimeout()).isEqualTo(Duration.ofMillis(9750));
    assertThat(budget.name())
        .isEqualTo(
            "the scrape's deadline: 9s500ms (X-Prometheus-Scrape-Timeout-Seconds 10s less 500ms)");
  }

  @Test
  void aShortScrapeTimeoutKeepsThreeQuartersOfItself() {
    assertThat(ScrapeBudget.of("1", TEN_SECONDS).duration()).isEqualTo(Duration.ofMillis(750));
    assertThat(ScrapeBudget.of("0.4", TEN_SECONDS).duration()).isEqualTo(Duration.ofMillis(300));
    assertThat(ScrapeBudget.of("0.4", TEN_SECONDS).connectionTimeout())
        .isEqualTo(Duration.ofMillis(350));
    assertThat(ScrapeBudget.of(" 1.5 ", TEN_SECONDS).duration()).isEqualTo(Duration.ofMillis(1125));
  }

  @Test
  void theModulesTimeoutCapsALongerScrape() {
    ScrapeBudget budget = ScrapeBudget.of("30", FIVE_SECONDS);

    assertThat(budget.duration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(budget.connectionTimeout()).isEqualTo(Duration.ofMillis(5250));
    assertThat(budget.name()).isEqualTo("the timeout of module fast (5s)");
    assertThat(ScrapeBudget.of("999999999.5", FIVE_SECONDS).duration())
        .isEqualTo(Duration.ofSeconds(5));
  }

  /** Plain decimals only, as Prometheus writes the header; rounded down, never past it. */
  @Test
  void theHeaderIsAPlainDecimalRoundedDown() {
    for (String odd : new String[] {"1e300", "5d", "0x1p3", "-1", "Infinity", "NaN"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ScrapeBudget.of(odd, FIVE_SECONDS))
          .hasMessage(
              "X-Prometheus-Scrape-Timeout-Seconds: '"
                  + odd
                  + "' is not a positive number of seconds");
    }
    assertThat(ScrapeBudget.of("2.0009", FIVE_SECONDS).duration())
        .isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void withoutTheHeaderTheModulesTimeoutIsTheBudget() {
    assertThat(ScrapeBudget.of(null, TEN_SECONDS).duration()).isEqualTo(Duration.ofSeconds(10));
    assertThat(ScrapeBudget.of(null, FIVE_SECONDS).name())
        .isEqualTo("the timeout of module fast (5s)");
  }

  @Test
  void aHeaderThatIsNotAPositiveNumberIsRefusedByName() {
    for (String bad : new String[] {"", "ten", "0", "-1", "NaN", "Infinity", "1s"}) {
      assertThatThrownBy(() -> ScrapeBudget.of(bad, TEN_SECONDS))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "X-Prometheus-Scrape-Timeout-Seconds: '"
                  + bad
                  + "' is not a positive number of seconds");
    }
  }
}
