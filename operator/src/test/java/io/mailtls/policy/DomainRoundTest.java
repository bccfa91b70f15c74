package io.mailtls.policy;

import static io.mailtls.dns.TestingDnsServer.a;
import static io.mailtls.dns.TestingDnsServer.mx;
import static io.mailtls.dns.TestingDnsServer.name;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailtls.api.EndpointSpec;
import io.mailtls.api.EndpointStatus;
import io.mailtls.api.MailEndpointPolicySpec;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.api.StatusSummary;
import io.mailtls.dns.TestingDnsServer;
import io.mailtls.probe.EndpointProber;
import io.mailtls.probe.ProbeSettings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Mail domains in a policy: every MX host an endpoint with its preference, the implicit MX, the
 * null MX as a result of its own, DNS failures as classified results, and MX changes as Events. The
 * MX hosts point at loopback addresses where nothing listens on the port, so each is refused at
 * once; what is asserted is what DNS decided.
 */
class DomainRoundTest {
  private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

  private TestingDnsServer dns;
  private ProbeRound probeRound;
  private int closedPort;
  private int rounds;

  @BeforeEach
  void start() throws Exception {
    dns = TestingDnsServer.start();
    probeRound =
        new ProbeRound(
            new EndpointProber(
                ProbeSettings.defaults()
                    .withTimeout(Duration.ofSeconds(2))
                    .withDnsServer(dns.address())));
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = free.getLocalPort();
    }
    dns.answer("mx1.mail.test", Type.A, a("mx1.mail.test", "127.0.0.2"))
        .answer("mx2.mail.test", Type.A, a("mx2.mail.test", "127.0.0.3"))
        .answer(
            "mail.test",
            Type.MX,
            mx("mail.test", 20, "mx2.mail.test"),
            mx("mail.test", 10, "mx1.mail.test"))
        .answer(
            "nomail.test", Type.MX, new MXRecord(name("nomail.test"), DClass.IN, 60, 0, Name.root))
        .fail("broken.test", Type.MX, Rcode.SERVFAIL)
        .answer("implicit.test", Type.A, a("implicit.test", "127.0.0.2"));
  }

  @AfterEach
  void stop() throws Exception {
    dns.close();
  }

  private MailEndpointPolicyStatus probe(MailEndpointPolicyStatus previous, String... targets) {
    MailEndpointPolicySpec spec =
        new MailEndpointPolicySpec(
            java.util.Arrays.stream(targets).map(EndpointSpec::new).toList(),
            null,
            null,
            "1m",
            "2s",
            null);
    // Each round an interval after the one before, so that it is due.
    Clock clock = Clock.fixed(NOW.plus(Duration.ofMinutes(2L * rounds++)), ZoneOffset.UTC);
    return new PolicyRound(probeRound, clock).next(spec, 1, previous).status();
  }

  /** RFC 5321 wants a host name in an MX record; senders do not deliver to an address there. */
  @Test
  void anMxRecordThatNamesAnAddressIsSaidSoAndNotProbed() {
    dns.answer(
        "literal.test",
        Type.MX,
        mx("literal.test", 10, "127.0.0.9"),
        mx("literal.test", 20, "mx1.mail.test"));

    MailEndpointPolicyStatus status = probe(null, "mx://literal.test:" + closedPort);

    assertThat(status.endpoints())
        .extracting(EndpointStatus::target, EndpointStatus::verdict, EndpointStatus::failure)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "smtp://127.0.0.9:" + closedPort, "Unreachable", null),
            org.assertj.core.groups.Tuple.tuple(
                "smtp://mx1.mail.test:" + closedPort, "Unreachable", "ConnectionRefused"));
    assertThat(status.endpoints().getFirst().message())
        .isEqualTo(
            "the MX record names 127.0.0.9, an address, where RFC 5321 requires a host name:"
                + " sending servers do not deliver to it, so it was not probed");
    assertThat(status.endpoints().getFirst().remediation()).startsWith("Point the MX record at");
    assertThat(status.endpoints().getFirst().acceptedVersions()).isNullOrEmpty();
  }

  @Test
  void everyKindOfMailDomainIsAnEntryOfItsOwn() {
    MailEndpointPolicyStatus status =
        probe(
            null,
            "mx://mail.test:" + closedPort,
            "mx://nomail.test",
            "mx://broken.test",
            "mx://implicit.test:" + closedPort,
            "mx://nothere.test");

    assertThat(status.endpoints())
        .extracting(
            EndpointStatus::target,
            EndpointStatus::domain,
            EndpointStatus::mxPreference,
            EndpointStatus::verdict,
            EndpointStatus::failure)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "smtp://mx1.mail.test:" + closedPort,
                "mail.test",
                10,
                "Unreachable",
                "ConnectionRefused"),
            org.assertj.core.groups.Tuple.tuple(
                "smtp://mx2.mail.test:" + closedPort,
                "mail.test",
                20,
                "Unreachable",
                "ConnectionRefused"),
            org.assertj.core.groups.Tuple.tuple(
                "mx://nomail.test", "nomail.test", null, "NullMX", null),
            org.assertj.core.groups.Tuple.tuple(
                "mx://broken.test", "broken.test", null, "Unreachable", "DnsServerFailure"),
            org.assertj.core.groups.Tuple.tuple(
                "smtp://implicit.test:" + closedPort,
                "implicit.test",
                0,
                "Unreachable",
                "ConnectionRefused"),
            org.assertj.core.groups.Tuple.tuple(
                "mx://nothere.test", "nothere.test", null, "Unreachable", "DnsNameNotFound"));
    assertThat(status.endpoints().get(2).message())
        .isEqualTo(
            "publishes a null MX (RFC 7505): nomail.test accepts no mail, so there is no mail TLS to"
                + " judge");
    assertThat(status.endpoints().get(3).message())
        .startsWith("could not look up the MX records of broken.test: broken.test MX: SERVFAIL");
    // The null MX needs nothing fixed; the rest could not be observed.
    assertThat(status.summary()).isEqualTo(new StatusSummary(6, 1, 0, 5));
    assertThat(status.condition("Compliant").getReason()).isEqualTo("Unreachable");
  }

  @Test
  void anMxChangeIsSeenInTheNextRoundAndIsAnEvent() {
    MailEndpointPolicyStatus first = probe(null, "mx://mail.test:" + closedPort);
    dns.answer("mail.test", Type.MX, mx("mail.test", 5, "mx2.mail.test"));

    MailEndpointPolicyStatus second = probe(first, "mx://mail.test:" + closedPort);

    assertThat(second.endpoints())
        .extracting(EndpointStatus::target, EndpointStatus::mxPreference)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("smtp://mx2.mail.test:" + closedPort, 5));
    List<StatusChange> changes = StatusChange.between(first, second);
    assertThat(changes).hasSize(1);
    StatusChange change = changes.getFirst();
    assertThat(change.reason()).isEqualTo("MXChanged");
    assertThat(change.isWarning()).isFalse();
    assertThat(change.message())
        .isEqualTo(
            "the MX hosts of mail.test are now mx2.mail.test (5) (were mx1.mail.test (10),"
                + " mx2.mail.test (20))");
    assertThat(StatusChange.between(second, probe(second, "mx://mail.test:" + closedPort)))
        .isEmpty();
  }
}
