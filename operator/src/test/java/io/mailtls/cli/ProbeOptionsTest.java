package io.mailtls.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtls.probe.ConnectionGuard;
import io.mailtls.probe.ProbeSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The probe options `scan`, `run` and `operator` share, and the guard each starts from. */
class ProbeOptionsTest {

  private static ProbeSettings run(String... args) {
    RunCommand command = new RunCommand();
    new CommandLine(command).parseArgs(args);
    return command.probeOptions.settings(ProbeSettings.defaults(), ProbeOptions.SERVICE_GUARD);
  }

  @Test
  void runHasTheOperatorsDefaults() {
    ProbeSettings settings = run("--policies", "p");

    assertThat(settings.guard().allowedPorts()).isEqualTo(ConnectionGuard.MAIL_PORTS);
    assertThat(settings.guard().deniedRanges())
        .extracting(Object::toString)
        .containsExactly("169.254.0.0/16", "fe80::/10");
    assertThat(settings.maxConnections()).isEqualTo(100);
    assertThat(settings.maxConnectionsPerHost()).isEqualTo(5);
    assertThat(settings.ehloName()).isEqualTo("mailtls.invalid");
    assertThat(settings.caFile()).isNull();
  }

  @Test
  void runTakesTheGuardAndConnectionOptions() {
    ProbeSettings settings =
        run(
            "--policies", "p",
            "--allow-ports", "any",
            "--deny-ranges", "127.0.0.0/8, ::1/128",
            "--max-connections", "7",
            "--max-connections-per-host", "1",
            "--ehlo-name", "probe.example.org");

    assertThat(settings.guard().allowedPorts()).isEmpty();
    assertThat(settings.guard().deniedRanges())
        .extracting(Object::toString)
        .containsExactly("127.0.0.0/8", "::1/128");
    assertThat(settings.maxConnections()).isEqualTo(7);
    assertThat(settings.maxConnectionsPerHost()).isEqualTo(1);
    assertThat(settings.ehloName()).isEqualTo("probe.example.org");
  }

  @Test
  void scanStartsWithoutAGuard() {
    ScanCommand command = new ScanCommand();
    new CommandLine(command).parseArgs("smtp://127.0.0.1");

    ProbeSettings settings =
        command.probeOptions.settings(ProbeSettings.defaults(), ConnectionGuard.NONE);

    assertThat(settings.guard()).isEqualTo(ConnectionGuard.NONE);
  }

  @Test
  void badValuesAreUsageErrorsNamingTheOption() {
    assertThatThrownBy(() -> run("--policies", "p", "--allow-ports", "25,smtp"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("--allow-ports: 'smtp' is not a port (1..65535) or 'any'");
    assertThatThrownBy(() -> run("--policies", "p", "--deny-ranges", "10.0.0.0"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("--deny-ranges: '10.0.0.0' is not an address range such as 10.0.0.0/8");
    assertThatThrownBy(() -> run("--policies", "p", "--max-connections", "0"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("--max-connections must be at least 1, not 0");
    assertThat(MailTlsCommand.commandLine().execute("run", "--policies", "p", "--ehlo-name"))
        .isEqualTo(2);
    assertThatThrownBy(() -> run("--policies", "p", "--ehlo-name", "my host"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("--ehlo-name 'my host' is not a host name (or an [address] literal)");
    assertThat(run("--policies", "p", "--ehlo-name", "[192.0.2.1]").ehloName())
        .isEqualTo("[192.0.2.1]");
    for (String port : new String[] {"70000", "-5", "http"}) {
      assertThat(
              MailTlsCommand.commandLine().execute("run", "--policies", "p", "--health-port", port))
          .as(port)
          .isEqualTo(2);
    }
  }
}
