package io.mailtls.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtls.tls.TlsVersion;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionGuardTest {
  private static final ConnectionGuard OPERATOR_DEFAULT =
      new ConnectionGuard(ConnectionGuard.MAIL_PORTS, ConnectionGuard.LINK_LOCAL);

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void theDefaultRefusesMetadataServicesAndOddPorts() throws Exception {
    assertThat(OPERATOR_DEFAULT.refusal(ip("192.0.2.10"), 25)).isEmpty();
    assertThat(OPERATOR_DEFAULT.refusal(ip("2001:db8::1"), 993)).isEmpty();
    assertThat(OPERATOR_DEFAULT.refusal(ip("169.254.169.254"), 25))
        .hasValue("169.254.169.254 is in the denied range 169.254.0.0/16");
    assertThat(OPERATOR_DEFAULT.refusal(ip("fe80::1"), 25)).isPresent();
    assertThat(OPERATOR_DEFAULT.refusal(ip("192.0.2.10"), 80))
        .hasValue("port 80 is not among the allowed ports [25, 110, 143, 465, 587, 993, 995]");
  }

  @Test
  void rangesMatchOnTheirPrefixBitsOnly() throws Exception {
    ConnectionGuard.Cidr pods = ConnectionGuard.Cidr.parse("10.244.0.0/14");
    assertThat(pods.contains(ip("10.247.255.255"))).isTrue();
    assertThat(pods.contains(ip("10.248.0.0"))).isFalse();
    assertThat(pods.contains(ip("::ffff:10.244.0.1"))).isTrue(); // mapped: the JDK gives IPv4
    assertThat(ConnectionGuard.Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
    assertThat(ConnectionGuard.Cidr.parse("fd00::/8").contains(ip("10.0.0.1"))).isFalse();
  }

  @Test
  void aBadRangeIsNamed() {
    for (String bad : List.of("10.0.0.0", "10.0.0.0/33", "mail.example.com/24", "10.0.0.0/x")) {
      assertThatThrownBy(() -> ConnectionGuard.Cidr.parse(bad))
          .hasMessage("'" + bad + "' is not an address range such as 10.0.0.0/8");
    }
  }

  @Test
  void noneAllowsEverything() throws Exception {
    assertThat(ConnectionGuard.NONE.refusal(ip("169.254.169.254"), 80)).isEmpty();
    assertThat(new ConnectionGuard(Set.of(), List.of()).allowedPorts()).isEmpty();
  }

  @Test
  void wildcardAndTranslatedAddressesAreJudgedByWhereTheyLead() throws Exception {
    ConnectionGuard noLoopback =
        new ConnectionGuard(
            Set.of(),
            List.of(
                ConnectionGuard.Cidr.parse("127.0.0.0/8"), ConnectionGuard.Cidr.parse("::1/128")));
    assertThat(noLoopback.refusal(ip("0.0.0.0"), 25))
        .hasValue("0.0.0.0 is an unspecified address: it would connect to this host");
    assertThat(noLoopback.refusal(ip("0.1.2.3"), 25)).isPresent();
    assertThat(noLoopback.refusal(ip("::"), 25)).isPresent();
    assertThat(noLoopback.refusal(ip("::127.0.0.1"), 25))
        .hasValue(
            "0:0:0:0:0:0:7f00:1 leads to 127.0.0.1, which is in the denied range 127.0.0.0/8");
    assertThat(noLoopback.refusal(ip("64:ff9b::7f00:1"), 25))
        .hasValue(
            "64:ff9b:0:0:0:0:7f00:1 leads to 127.0.0.1, which is in the denied range 127.0.0.0/8");
    assertThat(noLoopback.refusal(ip("::ffff:127.0.0.1"), 25)).isPresent();
    assertThat(noLoopback.refusal(ip("::1"), 25))
        .hasValue("0:0:0:0:0:0:0:1 is in the denied range ::1/128");
    assertThat(noLoopback.refusal(ip("64:ff9b::c000:20a"), 25)).isEmpty(); // 192.0.2.10
    assertThat(OPERATOR_DEFAULT.refusal(ip("0.0.0.0"), 25)).isPresent();
  }

  /** The same targets through the engine, at a real listener on loopback: nothing reaches it. */
  @Test
  void noWildcardTargetReachesALoopbackListenerPastTheGuard() throws Exception {
    EndpointProber prober =
        new EndpointProber(
            ProbeSettings.defaults()
                .withTimeout(java.time.Duration.ofSeconds(2))
                .withGuard(
                    new ConnectionGuard(
                        Set.of(),
                        List.of(
                            ConnectionGuard.Cidr.parse("127.0.0.0/8"),
                            ConnectionGuard.Cidr.parse("::1/128")))));
    try (var server =
        TestingMailServer.start(
            TestingMailServer.smtp(List.of("STARTTLS"), Set.of(TlsVersion.TLS_1_2)))) {
      int port = server.endpoint(MailProtocol.SMTP).port();
      for (String host :
          List.of(
              "0.0.0.0",
              "0",
              "[::]",
              "[::127.0.0.1]",
              "[64:ff9b::127.0.0.1]",
              "[::ffff:127.0.0.1]",
              "127.0.0.1")) {
        EndpointResult result =
            prober.probe(Endpoint.parse("smtp://" + host + ":" + port), null).only();
        assertThat(result.failure()).as(host).isNotNull();
        assertThat(result.failure().kind()).as(host).isEqualTo(FailureKind.FORBIDDEN);
      }
      assertThat(server.connections()).isZero();
    }
  }
}
