package io.mailtls.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mailtls.TestingProject;
import java.nio.file.Files;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Every alert links to a runbook section that exists in the README. */
class AlertRunbooksTest {
  private static final String BASE =
      "https://github.com/mailtls/mail-tls-operator/blob/main/README.md#";

  @Test
  void everyAlertHasARunbookUrlToItsReadmeSection() throws Exception {
    JsonNode rules =
        new YAMLMapper()
            .readTree(TestingProject.ROOT.resolve("config/prometheus/mailtls-rules.yaml").toFile());
    String readme = Files.readString(TestingProject.ROOT.resolve("README.md"));
    int alerts = 0;
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) {
          String alert = rule.get("alert").asText();
          alerts++;
          assertThat(rule.at("/annotations/runbook_url").asText())
              .as(alert)
              .isEqualTo(BASE + alert.toLowerCase(Locale.ROOT));
          assertThat(rule.at("/annotations/runbook").isMissingNode()).as(alert).isTrue();
          assertThat(readme).as(alert).contains("\n### " + alert + "\n");
        }
      }
    }
    assertThat(alerts).isEqualTo(11);
  }
}
