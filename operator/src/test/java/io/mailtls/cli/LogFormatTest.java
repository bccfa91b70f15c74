package io.mailtls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The log formats and levels as a log collector and an operator on call see them. */
class LogFormatTest {
  private static final Logger log = LoggerFactory.getLogger("io.mailtls.test");

  /** What {@code events} wrote to standard error in {@code format} at {@code level}. */
  private static List<String> logged(LogFormat format, String level, Runnable events) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      format.apply(level);
      events.run();
    } finally {
      System.setErr(original);
      LogFormat.text.apply("info");
    }
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void jsonLinesAreFlatWithEveryKeyValueAsAFieldOfItsOwn() throws Exception {
    List<String> lines =
        logged(
            LogFormat.json,
            "info",
            () -> {
              log.atInfo()
                  .addKeyValue("namespace", "mail")
                  .addKeyValue("policy", "edge")
                  .log("probed {} endpoints", 3);
              log.debug("not at info");
            });

    assertThat(lines).hasSize(1);
    JsonNode event = new ObjectMapper().readTree(lines.getFirst());
    assertThat(event.get("message").asText()).isEqualTo("probed 3 endpoints");
    assertThat(event.get("log.level").asText()).isEqualTo("INFO");
    assertThat(event.get("log.logger").asText()).isEqualTo("io.mailtls.test");
    assertThat(event.get("namespace").asText()).isEqualTo("mail");
    assertThat(event.get("policy").asText()).isEqualTo("edge");
    assertThat(event.get("@timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*");
    assertThat(event.has("@version")).isFalse();
  }

  @Test
  void theLevelOptionOpensDebugAndClosesInfo() {
    assertThat(logged(LogFormat.text, "debug", () -> log.debug("details")))
        .singleElement()
        .satisfies(line -> assertThat(line).endsWith(" DEBUG i.m.test - details "));
    assertThat(logged(LogFormat.text, "warn", () -> log.info("routine"))).isEmpty();
  }
}
