package io.mailtls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailtls.probe.MailProtocol;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
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

  /** Runs the scan with {@code stdin} as standard input. */
  private int runWithInput(InputStream stdin, String... args) {
    InputStream before = System.in;
    try {
      System.setIn(stdin);
      return run(args);
    } finally {
      System.setIn(before);
    }
  }

  /** Standard input that stays open: it gives what is sent, then waits for more until closed. */
  private static final class OpenInput extends InputStream {
    private final java.util.concurrent.BlockingQueue<Integer> bytes =
        new java.util.concurrent.LinkedBlockingQueue<>();

    void send(String text) {
      for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
        bytes.add(b & 0xff);
      }
    }

    @Override
    public void close() {
      bytes.add(-1);
    }

    @Override
    public int read() throws java.io.IOException {
      try {
        int b = bytes.take();
        if (b < 0) {
          bytes.add(-1);
        }
        return b;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException();
      }
    }

    @Override
    public int read(byte[] into, int offset, int length) throws java.io.IOException {
      if (length == 0) {
        return 0;
      }
      int first = read(); // waits for one byte, then takes what is there
      if (first < 0) {
        return -1;
      }
      into[offset] = (byte) first;
      int n = 1;
      for (Integer b = bytes.peek(); n < length && b != null && b >= 0; b = bytes.peek()) {
        into[offset + n++] = (byte) (int) bytes.poll();
      }
      return n;
    }
  }

  /** {@code size} bytes of 'a' without a line end, made as they are read; counts what was read. */
  private static final class EndlessLine extends InputStream {
    private final long size;
    private long read;

    EndlessLine(long size) {
      this.size = size;
    }

    long bytesRead() {
      return read;
    }

    @Override
    public int read() {
      if (read >= size) {
        return -1;
      }
      read++;
      return 'a';
    }

    @Override
    public int read(byte[] into, int offset, int length) {
      if (read >= size) {
        return -1;
      }
      int n = (int) Math.min(length, size - read);
      java.util.Arrays.fill(into, offset, offset + n, (byte) 'a');
      read += n;
      return n;
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
    assertThat(err.toString()).startsWith("mailtls scan: Invalid value for option '--timeout'");
    err.getBuffer().setLength(0);
    assertThat(run("scan", "--timeout", "2h", "smtp://127.0.0.1")).isEqualTo(2);
    assertThat(err.toString()).startsWith("mailtls scan: --timeout PT2H is not between 1ms and 1h");
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
      assertThat(err.toString())
          .as(command)
          .startsWith("mailtls " + command + ": --ca-file " + notPem + " holds no");
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
                + "SSLv3  TLSv1.0  TLSv1.1  TLSv1.2  TLSv1.3  VERDICT                  SOFTWARE\n"
                + endpoint
                + "  ?      ?        ?        ?        ?        UNREACHABLE              unknown\n")
        .contains("1 endpoints: 0 compliant, 0 non-compliant, 1 unreachable (minimum TLSv1.2)");
  }

  @Test
  void aUsageErrorIsOneLineAndAHintNotTheWholeUsage() {
    assertThat(run("scan", "-o", "xml", "smtp://127.0.0.1")).isEqualTo(2);

    assertThat(err.toString().lines())
        .containsExactly(
            "mailtls scan: Invalid value for option '--output': expected one of [table, json,"
                + " ndjson, junit] (case-insensitive) but was 'xml'",
            "Try 'mailtls scan --help' for more.");
  }

  @Test
  void enumValuesAreCaseInsensitive() throws Exception {
    String endpoint = "smtp://127.0.0.1:" + closedPort();

    assertThat(run("scan", "-o", "JSON", "--no-require-starttls", endpoint)).isEqualTo(1);

    assertThat(new ObjectMapper().readTree(out.toString()).at("/endpoints/0/endpoint").asText())
        .isEqualTo(endpoint);
  }

  @Test
  void targetsComeFromAFileWithCommentsAndFromStandardInput(@TempDir Path dir) throws Exception {
    String first = "smtp://127.0.0.1:" + closedPort();
    String second = "imaps://127.0.0.1:" + closedPort();
    String third = "pop3://127.0.0.1:" + closedPort();
    Path file = dir.resolve("targets.txt");
    Files.writeString(file, "# mail hosts\n" + first + "  # the MX\n\n" + second + "\n");
    InputStream stdin = System.in;
    try {
      System.setIn(new ByteArrayInputStream((third + "\n").getBytes(StandardCharsets.UTF_8)));

      assertThat(run("scan", "-o", "json", "--targets-file", file.toString(), "-")).isEqualTo(1);
    } finally {
      System.setIn(stdin);
    }

    assertThat(new ObjectMapper().readTree(out.toString()).get("endpoints"))
        .extracting(e -> e.get("endpoint").asText())
        .containsExactly(third, first, second);
  }

  @Test
  void aBadLineOfTheTargetsFileIsNamedByNumber(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("targets.txt");
    Files.writeString(file, "smtp://127.0.0.1\n# fine so far\nhttp://127.0.0.1\n");

    assertThat(run("scan", "--targets-file", file.toString())).isEqualTo(2);

    assertThat(err.toString().lines().findFirst().orElseThrow())
        .isEqualTo(
            "mailtls scan: "
                + file
                + " line 3: unknown scheme 'http' in 'http://127.0.0.1': expected one of "
                + MailProtocol.schemes());
    assertThat(run("scan")).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "mailtls scan: no target: give at least one TARGET, --targets-file FILE or - for"
                + " standard input");
  }

  @Test
  void ndjsonIsOneObjectPerEndpointPerLine() throws Exception {
    String first = "smtp://127.0.0.1:" + closedPort();
    String second = "smtps://127.0.0.1:" + closedPort();

    assertThat(run("scan", "-o", "ndjson", first, second)).isEqualTo(1);

    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines)
        .extracting(line -> new ObjectMapper().readTree(line).get("endpoint").asText())
        .containsExactlyInAnyOrder(first, second);
    assertThat(lines)
        .extracting(line -> new ObjectMapper().readTree(line).at("/failure/kind").asText())
        .containsOnly("CONNECTION_REFUSED");
  }

  @Test
  void junitIsATestCasePerEndpointWithTheExplanation() throws Exception {
    String endpoint = "smtp://127.0.0.1:" + closedPort();

    assertThat(run("scan", "-o", "junit", endpoint)).isEqualTo(1);

    Document xml =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(out.toString().getBytes(StandardCharsets.UTF_8)));
    Element suite = xml.getDocumentElement();
    assertThat(suite.getAttribute("tests")).isEqualTo("1");
    assertThat(suite.getAttribute("errors")).isEqualTo("1");
    assertThat(suite.getAttribute("failures")).isEqualTo("0");
    Element testCase = (Element) suite.getElementsByTagName("testcase").item(0);
    assertThat(testCase.getAttribute("classname")).isEqualTo("mailtls.smtp");
    assertThat(testCase.getAttribute("name")).isEqualTo(endpoint);
    Element error = (Element) testCase.getElementsByTagName("error").item(0);
    assertThat(error.getAttribute("type")).isEqualTo("Unreachable");
    assertThat(error.getAttribute("message")).startsWith("could not be probed: CONNECTION_REFUSED");
    assertThat(error.getTextContent()).startsWith("fix: Check that the endpoint is up");
  }

  @Test
  void anEndpointStillBeingProbedAtTheDeadlineIsReportedSo() throws Exception {
    // Accepts and never greets: only the 30 s timeout would end the probe.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String endpoint = "smtp://127.0.0.1:" + silent.getLocalPort();

      assertThat(run("scan", "-o", "json", "--timeout", "30s", "--deadline", "500ms", endpoint))
          .isEqualTo(1);

      JsonNode result = new ObjectMapper().readTree(out.toString()).at("/endpoints/0");
      assertThat(result.get("reason").asText()).isEqualTo("Unreachable");
      assertThat(result.at("/failure/kind").asText()).isEqualTo("DEADLINE_EXCEEDED");
      assertThat(result.get("explanation").asText())
          .isEqualTo(
              "could not be probed: DEADLINE_EXCEEDED: not probed to the end before the overall"
                  + " deadline (--deadline)");
    }
  }

  @Test
  void aLineBeyondTheBoundIsAUsageErrorAndTheRestOfItIsNotRead() {
    EndlessLine twentyMegabytes = new EndlessLine(20L << 20);

    assertThat(runWithInput(twentyMegabytes, "scan", "-o", "json", "-")).isEqualTo(2);

    assertThat(err.toString().lines().findFirst().orElseThrow())
        .isEqualTo(
            "mailtls scan: standard input line 1 is longer than 1024 bytes, the most a line may"
                + " hold (is it a list of targets?)");
    assertThat(err.toString()).hasSizeLessThan(300);
    assertThat(twentyMegabytes.bytesRead()).isLessThanOrEqualTo(16 * 1024);
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aLongLineOfTheTargetsFileIsAUsageErrorBeforeAnythingIsProbed(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("targets.txt");
    Files.writeString(
        file, "smtp://127.0.0.1:" + closedPort() + "\n" + "a".repeat(5 << 20) + "\nsmtp://x\n");

    assertThat(run("scan", "--targets-file", file.toString())).isEqualTo(2);

    assertThat(err.toString().lines().findFirst().orElseThrow())
        .isEqualTo(
            "mailtls scan: "
                + file
                + " line 2 is longer than 1024 bytes, the most a line may hold (is it a list of"
                + " targets?)");
    assertThat(err.toString()).hasSizeLessThan(400);
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aHostNameLongerThanDnsCarriesIsAUsageErrorNamingTheLine(@TempDir Path dir) throws Exception {
    String label = "a".repeat(63);
    String name254 = String.join(".", label, label, label, "a".repeat(62)); // 254
    String dns = "127.0.0.1:" + closedPort(); // were it looked up: a closed loopback port
    Path file = dir.resolve("targets.txt");
    Files.writeString(file, "# fleet\nsmtp://" + name254 + ":25\n");

    assertThat(run("scan", "--dns-server", dns, "--targets-file", file.toString())).isEqualTo(2);

    assertThat(err.toString().lines().findFirst().orElseThrow())
        .startsWith("mailtls scan: " + file + " line 2: the host name of 'smtp://aaaa")
        .endsWith("' has 254 characters: a DNS name has at most 253");
    err.getBuffer().setLength(0);

    assertThat(run("scan", "--dns-server", dns, "mx://" + "b".repeat(64) + ".example"))
        .isEqualTo(2);
    assertThat(err.toString().lines().findFirst().orElseThrow())
        .startsWith("mailtls scan: 'mx://bbbb")
        .endsWith(" has 64 characters: a DNS label has 1 to 63");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aBinaryTargetsFileIsQuotedCleanedAndShortened(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("targets.bin");
    byte[] binary = new byte[900];
    new java.util.Random(7).nextBytes(binary);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    bytes.writeBytes(("smtp://127.0.0.1:" + closedPort() + "\n").getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(
        "smtp://\u001b[2J\u001b]0;owned\u0007\u009b31m".getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(binary);
    Files.write(file, bytes.toByteArray());

    assertThat(run("scan", "--targets-file", file.toString())).isEqualTo(2);

    String message = err.toString().lines().findFirst().orElseThrow();
    assertThat(message).startsWith("mailtls scan: " + file + " line 2: ").hasSizeLessThan(400);
    assertThat(err.toString().chars().filter(c -> c != '\n' && Character.isISOControl(c)))
        .isEmpty();
  }

  @Test
  void theDeadlineEndsAScanWhoseStandardInputStaysOpen() throws Exception {
    String endpoint = "smtp://127.0.0.1:" + closedPort();
    OpenInput stdin = new OpenInput();
    stdin.send("# from a pipe that never closes\n" + endpoint + "\n");
    try {
      int exit =
          org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
              java.time.Duration.ofSeconds(10),
              () -> runWithInput(stdin, "scan", "-o", "json", "--deadline", "1500ms", "-"));

      assertThat(exit).isEqualTo(1);
      JsonNode report = new ObjectMapper().readTree(out.toString());
      assertThat(report.at("/summary/endpoints").asInt()).isEqualTo(1);
      assertThat(report.at("/endpoints/0/endpoint").asText()).isEqualTo(endpoint);
      assertThat(report.at("/endpoints/0/failure/kind").asText()).isEqualTo("CONNECTION_REFUSED");
      assertThat(err.toString())
          .contains(
              "mailtls scan: the deadline (--deadline 1s500ms) ended the scan while standard input"
                  + " was open: its lines from 3 on were not read");
      // The thread still waiting for the pipe does not keep the JVM alive.
      assertThat(Thread.getAllStackTraces().keySet())
          .filteredOn(t -> t.getName().equals("mailtls-scan-stdin"))
          .isNotEmpty()
          .allMatch(Thread::isDaemon);
    } finally {
      stdin.close();
    }
  }

  @Test
  void rowsComeOutWhileStandardInputIsStillOpen() throws Exception {
    String first = "smtp://127.0.0.1:" + closedPort();
    String second = "imap://127.0.0.1:" + closedPort();
    OpenInput stdin = new OpenInput();
    stdin.send(first + "\n");
    var scan =
        java.util.concurrent.Executors.newSingleThreadExecutor()
            .submit(() -> runWithInput(stdin, "scan", "-"));
    try {
      // Probing starts with the first line: its row is out before the second line exists.
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> out.toString().contains(first + " "));
      assertThat(out.toString()).doesNotContain(second);

      stdin.send(second + "\n");
    } finally {
      stdin.close();
    }

    assertThat(scan.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(out.toString())
        .contains(first + " ", second + " ")
        .contains("2 endpoints: 0 compliant, 0 non-compliant, 2 unreachable");
  }

  @Test
  void anEndpointThatWaitsForASlotOfItsHostSaysSoAndIsNoConnectTimeout() throws Exception {
    // Accepts and never greets: each connection holds the host's only slot for the timeout.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String host = "127.0.0.1:" + silent.getLocalPort();

      assertThat(
              run(
                  "scan",
                  "-o",
                  "json",
                  "--max-connections-per-host",
                  "1",
                  "--timeout",
                  "300ms",
                  "smtp://" + host,
                  "submission://" + host,
                  "imap://" + host))
          .isEqualTo(1);

      JsonNode endpoints = new ObjectMapper().readTree(out.toString()).get("endpoints");
      assertThat(endpoints).extracting(e -> e.get("verdict").asText()).containsOnly("UNREACHABLE");
      List<JsonNode> failures = endpoints.findValues("failure");
      assertThat(failures)
          .extracting(f -> f.get("kind").asText())
          .doesNotContain("CONNECT_TIMEOUT")
          .contains("OPERATOR_BUSY");
      assertThat(failures)
          .filteredOn(f -> f.get("kind").asText().equals("OPERATOR_BUSY"))
          .extracting(f -> f.get("detail").asText())
          .allMatch(
              d -> d.startsWith("waited for a slot of its host until the endpoint's deadline"));
    }
  }

  @Test
  void anEndpointStillWaitingForASlotOfItsHostAtTheDeadlineSaysSo() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String host = "127.0.0.1:" + silent.getLocalPort();

      assertThat(
              run(
                  "scan",
                  "-o",
                  "json",
                  "--max-connections-per-host",
                  "1",
                  "--timeout",
                  "10s",
                  "--deadline",
                  "1s",
                  "smtp://" + host,
                  "imap://" + host))
          .isEqualTo(1);

      JsonNode endpoints = new ObjectMapper().readTree(out.toString()).get("endpoints");
      assertThat(endpoints)
          .hasSize(2)
          .allSatisfy(
              e -> {
                assertThat(e.get("verdict").asText()).isEqualTo("UNREACHABLE");
                assertThat(e.at("/failure/kind").asText()).isEqualTo("DEADLINE_EXCEEDED");
                assertThat(e.get("explanation").asText())
                    .startsWith(
                        "could not be probed: DEADLINE_EXCEEDED: not probed to the end before the"
                            + " overall deadline (--deadline): ")
                    .contains(
                        " still waiting for a slot of its host (--max-connections-per-host 1)");
              });
    }
  }

  @Test
  void aBadLineOfStandardInputIsAUsageErrorAfterTheReportOfTheLinesBefore() throws Exception {
    String endpoint = "smtp://127.0.0.1:" + closedPort();
    InputStream stdin =
        new ByteArrayInputStream(
            (endpoint + "\n\nhttp://127.0.0.1\n" + endpoint + "\n")
                .getBytes(StandardCharsets.UTF_8));

    assertThat(runWithInput(stdin, "scan", "-o", "json", "-")).isEqualTo(2);

    // Nothing is lost: what came before the bad line was probed and reported.
    JsonNode report = new ObjectMapper().readTree(out.toString());
    assertThat(report.get("endpoints"))
        .extracting(e -> e.get("endpoint").asText())
        .containsExactly(endpoint);
    assertThat(err.toString().lines().findFirst().orElseThrow())
        .isEqualTo(
            "mailtls scan: standard input line 3: unknown scheme 'http' in 'http://127.0.0.1':"
                + " expected one of "
                + MailProtocol.schemes());
  }

  @Test
  void rowsComeAsTheyFinishAndTheFixesInTheOrderOfTheTargets() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String slow = "smtp://127.0.0.1:" + silent.getLocalPort();
      // Another host: the slow one's connections hold every slot of theirs for the timeout.
      String fast = "smtp://127.0.0.2:" + closedPort();

      assertThat(run("scan", "--timeout", "1s", slow, fast)).isEqualTo(1);

      List<String> lines = out.toString().lines().toList();
      assertThat(lines.get(1)).startsWith(fast + " ");
      assertThat(lines.get(2)).startsWith(slow + " ");
      assertThat(lines.stream().filter(l -> l.contains(": UNREACHABLE - ")).toList())
          .satisfiesExactly(
              l -> assertThat(l).startsWith(slow + ": "),
              l -> assertThat(l).startsWith(fast + ": "));

      out.getBuffer().setLength(0);
      assertThat(run("scan", "--timeout", "1s", "-o", "junit", slow, fast)).isEqualTo(1);
      assertThat(out.toString().indexOf("name=\"" + slow + "\""))
          .isLessThan(out.toString().indexOf("name=\"" + fast + "\""));
    }
  }

  @Test
  void aPortThatIsTakenIsAUsageErrorThatNamesIt(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("p.yaml"),
        """
        apiVersion: mailtls.io/v1alpha1
        kind: MailEndpointPolicy
        metadata: {name: edge, namespace: mail}
        spec:
          endpoints: [{target: "smtp://127.0.0.1:%d"}]
        """
            .formatted(closedPort()));
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      assertThat(
              run(
                  "run",
                  "--policies",
                  dir.toString(),
                  "--metrics-port",
                  String.valueOf(port),
                  "--health-port",
                  "0"))
          .isEqualTo(2);

      assertThat(err.toString().lines())
          .containsExactly(
              "mailtls run: cannot listen on port "
                  + port
                  + ": Address already in use (choose another with --metrics-port or"
                  + " --health-port)");
    }
  }

  @Test
  void anApiServerThatRefusesIsExitFourWithItsMessage() throws Exception {
    var refused =
        new io.javaoperatorsdk.operator.OperatorException(
            "Error starting operator",
            new io.fabric8.kubernetes.client.KubernetesClientException(
                "Failure executing: GET at: https://10.0.0.1/apis/coordination.k8s.io/v1/leases."
                    + " Message: leases.coordination.k8s.io is forbidden."));
    CommandLine cli = MailTlsCommand.commandLine();
    cli.setErr(new PrintWriter(err));

    int exit =
        cli.getExecutionExceptionHandler()
            .handleExecutionException(refused, cli.getSubcommands().get("operator"), null);

    assertThat(exit).isEqualTo(4);
    assertThat(err.toString().lines())
        .containsExactly(
            "mailtls operator: the Kubernetes API server cannot be reached or refused the"
                + " operator: Failure executing: GET at:"
                + " https://10.0.0.1/apis/coordination.k8s.io/v1/leases. Message:"
                + " leases.coordination.k8s.io is forbidden. (check the kubeconfig or the pod's"
                + " service account and its RBAC)");
  }

  @Test
  void versionNamesTheCommitAndTheJava() {
    assertThat(run("--version")).isZero();

    assertThat(out.toString().lines().toList().get(1))
        .isEqualTo("Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")");
  }
}
