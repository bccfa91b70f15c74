package io.mailtls.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailtls.probe.Testbed;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code mailtls scan} of mail domains and of a name with several addresses, against the testbed's
 * real DNS server (dnsmasq, serving testbed/dnsmasq.conf on 127.0.0.1 port 24053) and real Postfix
 * listeners with a different TLS floor at 127.0.0.2, 127.0.0.3 and ::1.
 */
@ExtendWith(Testbed.class)
class MailDomainsIT {
  private static final String DNS = "127.0.0.1:24053";
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private JsonNode scan(int expectedExit, String... targets) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("scan", "--dns-server", DNS, "--ca-file", Testbed.caFile().toString()));
    args.addAll(List.of("-o", "json"));
    args.addAll(List.of(targets));
    var cli = MailTlsCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute(args.toArray(String[]::new))).as(err.toString()).isEqualTo(expectedExit);
    return new ObjectMapper().readTree(out.toString()).get("endpoints");
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  @Test
  void everyMxHostOfADomainIsAnEndpointWithItsPreference() throws Exception {
    JsonNode endpoints = scan(1, "mx://mail.test.local:24030");

    assertThat(endpoints)
        .extracting(
            e -> e.get("endpoint").asText(),
            e -> e.get("domain").asText(),
            e -> e.get("mxPreference").asInt(),
            e -> texts(e.get("acceptedVersions")),
            e -> e.get("reason").asText())
        .containsExactly(
            tuple(
                "smtp://mx1.test.local:24030",
                "mail.test.local",
                10,
                List.of("TLSv1.2", "TLSv1.3"),
                "Compliant"),
            tuple(
                "smtp://mx2.test.local:24030",
                "mail.test.local",
                20,
                List.of("TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"),
                "DeprecatedTLSAccepted"));
    assertThat(endpoints.get(0).get("address").asText()).isEqualTo("127.0.0.2");
  }

  @Test
  void everyAddressOfANameIsProbedAndTheWorstOneDecides() throws Exception {
    JsonNode pool = scan(1, "smtp://pool.test.local:24030").get(0);

    assertThat(pool.get("reason").asText()).isEqualTo("DeprecatedTLSAccepted");
    assertThat(pool.get("address").asText()).isEqualTo("127.0.0.3");
    assertThat(pool.get("explanation").asText())
        .startsWith("at 127.0.0.3 (the worst of 3 addresses): accepts deprecated TLSv1.0, TLSv1.1");
    assertThat(pool.get("addresses"))
        .extracting(
            a -> a.get("address").asText(),
            a -> a.get("reason").asText(),
            a -> texts(a.get("acceptedVersions")))
        .containsExactly(
            tuple("127.0.0.2", "Compliant", List.of("TLSv1.2", "TLSv1.3")),
            tuple(
                "127.0.0.3",
                "DeprecatedTLSAccepted",
                List.of("TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3")),
            tuple("::1", "Compliant", List.of("TLSv1.2", "TLSv1.3")));
  }

  @Test
  void implicitMxNullMxAndDnsFailuresAreResultsOfTheirOwn() throws Exception {
    JsonNode endpoints =
        scan(
            1,
            "mx://implicit.test.local:24030",
            "mx://nullmx.test.local",
            "mx://nothere.test.local",
            "smtp://noaddress.test.local:24030");

    assertThat(endpoints)
        .extracting(
            e -> e.get("endpoint").asText(),
            e -> e.get("reason").asText(),
            e -> e.path("failure").path("kind").asText())
        .containsExactly(
            tuple("smtp://implicit.test.local:24030", "Compliant", ""),
            tuple("mx://nullmx.test.local", "NullMX", ""),
            tuple("mx://nothere.test.local", "Unreachable", "DNS_NAME_NOT_FOUND"),
            tuple("smtp://noaddress.test.local:24030", "Unreachable", "DNS_NO_ADDRESS"));
    assertThat(endpoints.get(0).get("mxPreference").asInt()).isZero();
    assertThat(endpoints.get(1).get("explanation").asText())
        .isEqualTo(
            "publishes a null MX (RFC 7505): nullmx.test.local accepts no mail, so there is no"
                + " mail TLS to judge");
  }

  @Test
  void aDnsServerThatDoesNotAnswerIsATimeout() throws Exception {
    try (var silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      var cli = MailTlsCommand.commandLine();
      cli.setOut(new PrintWriter(out));
      cli.setErr(new PrintWriter(err));
      int exit =
          cli.execute(
              "scan",
              "--dns-server",
              "127.0.0.1:" + silent.getLocalPort(),
              "--timeout",
              "1s",
              "-o",
              "json",
              "mx://mail.test.local");

      assertThat(exit).isEqualTo(1);
      JsonNode domain = new ObjectMapper().readTree(out.toString()).get("endpoints").get(0);
      assertThat(domain.get("endpoint").asText()).isEqualTo("mx://mail.test.local");
      assertThat(domain.get("failure").get("kind").asText()).isEqualTo("DNS_TIMEOUT");
    }
  }
}
