package io.mailtls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code mailtls run}'s exporter options: what it refuses before it serves anything. */
class RunCommandTest {
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = MailTlsCommand.commandLine();
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void withNeitherPoliciesNorProbeThereIsNothingToDo() {
    assertThat(run("run", "--metrics-port", "0", "--health-port", "0")).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly(
            "mailtls run: nothing to do: give --policies DIR, or --exporter or --probe-config FILE"
                + " for /probe",
            "Try 'mailtls run --help' for more.");
  }

  @Test
  void aProbeConfigThatCannotBeUsedIsAUsageErrorWithEveryProblem(@TempDir Path dir)
      throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("probe.yml"),
            "modules:\n  strict:\n    minimumVersion: TLSv1.0\n    timeout: 0s\n");

    assertThat(run("run", "--probe-config", config.toString(), "--metrics-port", "0")).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly(
            "mailtls run: --probe-config "
                + config
                + ": modules.strict.minimumVersion: 'TLSv1.0' is not TLSv1.2 or TLSv1.3",
            "mailtls run: --probe-config "
                + config
                + ": modules.strict.timeout: 0s is not between"
                + " 1s and 50s");
  }

  @Test
  void theExportersLimitsAreCheckedByName() {
    assertThat(run("run", "--exporter", "--probe-min-interval", "5s")).isEqualTo(2);
    assertThat(err.toString().lines().findFirst().orElseThrow())
        .isEqualTo("mailtls run: --probe-min-interval 5s is not between 10s and 24h");
    err.getBuffer().setLength(0);
    assertThat(run("run", "--exporter", "--max-concurrent-probes", "0")).isEqualTo(2);
    assertThat(err.toString().lines().findFirst().orElseThrow())
        .isEqualTo("mailtls run: --max-concurrent-probes must be at least 1, not 0");
  }
}
