package io.mailtls.probe;

import static io.mailtls.dns.TestingDnsServer.a;
import static io.mailtls.tls.TlsVersion.TLS_1_2;
import static io.mailtls.tls.TlsVersion.TLS_1_3;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailtls.compliance.ComplianceEvaluator;
import io.mailtls.compliance.CompliancePolicy;
import io.mailtls.compliance.EndpointAssessment;
import io.mailtls.compliance.Verdict;
import io.mailtls.dns.TestingDnsServer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * A name with several addresses is probed at every one, each under the guard, and its verdict is
 * the worst of them: one address that cannot be observed keeps it from being Compliant.
 */
class EveryAddressTest {
  private static final List<String> EHLO = List.of("PIPELINING", "STARTTLS");

  @Test
  void everyAddressIsProbedAndTheWorstDecides() throws Exception {
    try (var server =
            TestingMailServer.start(TestingMailServer.smtp(EHLO, Set.of(TLS_1_2, TLS_1_3)));
        var dns = TestingDnsServer.start()) {
      // The same port at 127.0.0.2 has no listener: that address refuses the connection.
      dns.answer("pool.test", Type.A, a("pool.test", "127.0.0.1"), a("pool.test", "127.0.0.2"));
      int port = server.endpoint(MailProtocol.SMTP).port();
      EndpointProber prober =
          new EndpointProber(ProbeSettings.defaults().withDnsServer(dns.address()));

      ProbedEndpoint probed =
          prober.probe(new Endpoint(MailProtocol.SMTP, "pool.test", port), null);

      assertThat(probed.addresses())
          .extracting(EndpointResult::address)
          .containsExactly("127.0.0.1", "127.0.0.2");
      assertThat(probed.addresses().get(0).acceptedVersions()).containsExactly(TLS_1_2, TLS_1_3);
      assertThat(probed.addresses().get(1).failure().kind())
          .isEqualTo(FailureKind.CONNECTION_REFUSED);
      EndpointAssessment judged = ComplianceEvaluator.assess(probed, CompliancePolicy.DEFAULT);
      assertThat(judged.addresses())
          .extracting(a -> a.verdict())
          .containsExactly(Verdict.COMPLIANT, Verdict.UNREACHABLE);
      assertThat(judged.verdict()).isEqualTo(Verdict.UNREACHABLE);
      assertThat(judged.deciding().result().address()).isEqualTo("127.0.0.2");
      assertThat(judged.assessment().explanation())
          .startsWith("at 127.0.0.2 (the worst of 2 addresses): could not be probed:");
    }
  }

  @Test
  void theGuardJudgesEachAddress() throws Exception {
    try (var server =
            TestingMailServer.start(TestingMailServer.smtp(EHLO, Set.of(TLS_1_2, TLS_1_3)));
        var dns = TestingDnsServer.start()) {
      dns.answer("pool.test", Type.A, a("pool.test", "127.0.0.1"), a("pool.test", "127.0.0.2"));
      int port = server.endpoint(MailProtocol.SMTP).port();
      ConnectionGuard denySecond =
          new ConnectionGuard(Set.of(), List.of(ConnectionGuard.Cidr.parse("127.0.0.2/32")));
      EndpointProber prober =
          new EndpointProber(
              ProbeSettings.defaults().withDnsServer(dns.address()).withGuard(denySecond));

      ProbedEndpoint probed =
          prober.probe(new Endpoint(MailProtocol.SMTP, "pool.test", port), null);

      assertThat(probed.addresses().get(0).acceptedVersions()).containsExactly(TLS_1_2, TLS_1_3);
      assertThat(probed.addresses().get(1).failure().kind()).isEqualTo(FailureKind.FORBIDDEN);
      assertThat(ComplianceEvaluator.assess(probed, CompliancePolicy.DEFAULT).verdict())
          .isEqualTo(Verdict.FORBIDDEN);
    }
  }

  @Test
  void allAddressesCompliantButNotAllKnownIsUnreachable() throws Exception {
    try (var server =
            TestingMailServer.start(TestingMailServer.smtp(EHLO, Set.of(TLS_1_2, TLS_1_3)));
        var dns = TestingDnsServer.start()) {
      dns.answer("pool.test", Type.A, a("pool.test", "127.0.0.1")).ignore("pool.test", Type.AAAA);
      int port = server.endpoint(MailProtocol.SMTP).port();
      EndpointProber prober =
          new EndpointProber(
              ProbeSettings.defaults()
                  .withDnsServer(dns.address())
                  .withTimeout(java.time.Duration.ofMillis(500)));

      ProbedEndpoint probed =
          prober.probe(new Endpoint(MailProtocol.SMTP, "pool.test", port), null);

      assertThat(probed.addresses()).hasSize(1);
      assertThat(probed.incomplete())
          .isEqualTo(
              "pool.test AAAA: no answer from 127.0.0.1 port "
                  + dns.address().getPort()
                  + " in time");
      EndpointAssessment judged = ComplianceEvaluator.assess(probed, CompliancePolicy.DEFAULT);
      assertThat(judged.addresses())
          .extracting(a -> a.verdict())
          .containsExactly(Verdict.COMPLIANT);
      assertThat(judged.verdict()).isEqualTo(Verdict.UNREACHABLE);
      assertThat(judged.assessment().explanation())
          .startsWith("the addresses probed are compliant, but pool.test AAAA: no answer");
    }
  }
}
