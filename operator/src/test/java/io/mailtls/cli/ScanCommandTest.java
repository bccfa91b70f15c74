package io.mailtls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ScanCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = MailTlsCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void badTargetIsAUsageError() {
    assertThat(run("scan", "http://127.0.0.1")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown scheme 'http' in 'http://127.0.0.1'");
  }

  @Test
  void badVersionIsAUsageError() {
    assertThat(run("scan", "--min-version", "TLSv9", "smtp://127.0.0.1")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown protocol version 'TLSv9'");
  }

  @Test
  void anAbsurdTimeoutIsAUsageError() {
    assertThat(run("scan", "--timeout", "99999999999999999999h", "smtp://127.0.0.1")).isEqualTo(2);
    assertThat(err.toString()).startsWith("Invalid value for option '--timeout'");
    err.getBuffer().setLength(0);
    assertThat(run("scan", "--timeout", "2h", "smtp://127.0.0.1")).isEqualTo(2);
    assertThat(err.toString()).startsWith("--timeout PT2H is not between 1ms and 1h");
  }

  @Test
  void missingCaFileIsAUsageError() {
    assertThat(run("scan", "--ca-file", "/nonexistent/ca.pem", "smtp://127.0.0.1")).isEqualTo(2);
    assertThat(err.toString()).contains("--ca-file /nonexistent/ca.pem is not a readable file");
  }

  @Test
  void aCaFileThatIsNotPemIsAUsageErrorNamingTheFile(@TempDir Path dir) throws Exception {
    Path notPem = Files.writeString(dir.resolve("ca.pem"), "this is not a certificate\n");
    for (String command : List.of("scan", "run", "operator")) {
      List<String> args = new ArrayList<>(List.of(command, "--ca-file", notPem.toString()));
      args.addAll(
          switch (command) {
            case "scan" -> List.of("smtp://127.0.0.1");
            case "run" -> List.of("--policies", dir.toString());
            default -> List.of("--no-leader-election");
          });
      err.getBuffer().setLength(0);

      assertThat(run(args.toArray(String[]::new))).as(command).isEqualTo(2);
      assertThat(err.toString()).as(command).startsWith("--ca-file " + notPem + " holds no");
    }
  }

  @Test
  void everyCommandTakesTheSameProbeOptions() {
    for (String command : List.of("scan", "run", "operator")) {
      CommandLine.Model.CommandSpec spec =
          MailTlsCommand.commandLine().getSubcommands().get(command).getCommandSpec();
      assertThat(spec.optionsMap().keySet())
          .as(command)
          .contains(
              "--max-connections-per-host",
              "--max-connections",
              "--ehlo-name",
              "--ca-file",
              "--allow-ports",
              "--deny-ranges");
    }
  }

  @Test
  void unreachableEndpointExitsOneWithAJsonReport() throws Exception {
    int port = closedPort();

    int exit = run("scan", "--timeout", "2s", "-o", "json", "smtp://127.0.0.1:" + port);

    assertThat(exit).isEqualTo(1);
    JsonNode report = ScanCommand.jsonMapper().readTree(out.toString());
    assertThat(report.get("schemaVersion").asInt()).isEqualTo(1);
    assertThat(report.get("minimumVersion").asText()).isEqualTo("TLSv1.2");
    assertThat(report.at("/summary/unreachable").asInt()).isEqualTo(1);
    JsonNode endpoint = report.at("/endpoints/0");
    assertThat(endpoint.get("endpoint").asText()).isEqualTo("smtp://127.0.0.1:" + port);
    assertThat(endpoint.get("verdict").asText()).isEqualTo("UNREACHABLE");
    assertThat(endpoint.get("reason").asText()).isEqualTo("Unreachable");
    assertThat(endpoint.at("/failure/kind").asText()).isEqualTo("CONNECTION_REFUSED");
    assertThat(endpoint.get("acceptedVersions")).isEmpty();
    assertThat(endpoint.at("/versions/4/version").asText()).isEqualTo("TLSv1.3");
    assertThat(endpoint.at("/versions/4/status").asText()).isEqualTo("NOT_TESTED");
  }

  @Test
  void tableHasOneRowPerEndpointAndASummary() throws Exception {
    int port = closedPort();

    String endpoint = "smtp://127.0.0.1:" + port;

    run("scan", endpoint);

    String column = "%-" + endpoint.length() + "s  ";
    assertThat(out.toString())
        .startsWith(
            String.format(column, "ENDPOINT")
                + "SSLv3  TLSv1.0  TLSv1.1  TLSv1.2  TLSv1.3  VERDICT      SOFTWARE\n"
                + endpoint
                + "  ?      ?        ?        ?        ?        UNREACHABLE  unknown\n")
        .contains("1 endpoints: 0 compliant, 0 non-compliant, 1 unreachable (minimum TLSv1.2)");
  }
}
