package io.mailtls.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailtls.TestingProject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's panels render as their titles promise (no Grafana schema package is served here,
 * so the panel and transformation structure is asserted; MonitoringIT runs every query).
 */
class DashboardTest {
  private static JsonNode panel(JsonNode dashboard, String titleStart) {
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("title").asText().startsWith(titleStart)) {
        return panel;
      }
    }
    throw new AssertionError("no panel titled " + titleStart);
  }

  private static List<String> transformations(JsonNode panel) {
    List<String> ids = new ArrayList<>();
    panel.path("transformations").forEach(t -> ids.add(t.path("id").asText()));
    return ids;
  }

  @Test
  void panelsAreBuiltAsTheirTitlesSay() throws Exception {
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(
                TestingProject.ROOT.resolve("config/grafana/mailtls-dashboard.json").toFile());

    // A time series of counts per step uses the step's window, never the whole range.
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("type").asText().equals("timeseries")) {
        panel
            .path("targets")
            .forEach(
                t ->
                    assertThat(t.path("expr").asText())
                        .as(panel.path("title").asText())
                        .doesNotContain("$__range]"));
      }
    }
    assertThat(panel(dashboard, "Probe failures").at("/targets/0/expr").asText())
        .contains("[$__rate_interval]");

    // Two queries about the same endpoints become one table, a row per endpoint.
    JsonNode nonCompliant = panel(dashboard, "Non-compliant endpoints");
    assertThat(nonCompliant.path("targets")).hasSize(2);
    assertThat(transformations(nonCompliant)).startsWith("joinByField");
    assertThat(nonCompliant.at("/transformations/0/options/byField").asText())
        .isEqualTo("endpoint");
    nonCompliant
        .path("targets")
        .forEach(t -> assertThat(t.path("format").asText()).isEqualTo("table"));

    // The version matrix: a row per endpoint, a column per version.
    JsonNode matrix = panel(dashboard, "Accepted versions");
    assertThat(transformations(matrix)).containsExactly("groupingToMatrix");
    assertThat(matrix.at("/transformations/0/options/rowField").asText()).isEqualTo("endpoint");
    assertThat(matrix.at("/transformations/0/options/columnField").asText())
        .isEqualTo("tls_version");
    assertThat(matrix.at("/targets/0/instant").asBoolean()).isTrue();
  }
}
