package io.mailtls.dns;

import static io.mailtls.dns.TestingDnsServer.a;
import static io.mailtls.dns.TestingDnsServer.aaaa;
import static io.mailtls.dns.TestingDnsServer.mx;
import static io.mailtls.dns.TestingDnsServer.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** MX and address look-ups against a scripted DNS server: every answer a classified result. */
class MailDnsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private TestingDnsServer server;
  private MailDns dns;

  @BeforeEach
  void start() throws Exception {
    server = TestingDnsServer.start();
    dns = MailDns.server(server.address());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void mxHostsComeMostPreferredFirst() {
    server.answer(
        "example.test",
        Type.MX,
        mx("example.test", 20, "mx2.example.test"),
        mx("example.test", 10, "MX1.example.test"));

    assertThat(dns.mx("example.test", TIMEOUT))
        .isEqualTo(
            new MxLookup.Hosts(
                java.util.List.of(
                    new MxHost("mx1.example.test", 10), new MxHost("mx2.example.test", 20)),
                false,
                2));
  }

  @Test
  void aDomainWithoutMxIsItsOwnMailHost() throws Exception {
    server.answer("implicit.test", Type.A, a("implicit.test", "127.0.0.2"));

    assertThat(dns.mx("implicit.test", TIMEOUT))
        .isEqualTo(new MxLookup.Hosts(java.util.List.of(new MxHost("implicit.test", 0)), true, 1));
  }

  @Test
  void aNullMxMeansNoMail() {
    server.answer(
        "nomail.test", Type.MX, new MXRecord(name("nomail.test"), DClass.IN, 300, 0, Name.root));

    assertThat(dns.mx("nomail.test", TIMEOUT)).isEqualTo(new MxLookup.NullMx());
  }

  @Test
  void dnsFailuresAreClassified() {
    server.fail("broken.test", Type.MX, Rcode.SERVFAIL).ignore("silent.test", Type.MX);

    assertThat(kind(dns.mx("nothere.test", TIMEOUT))).isEqualTo(DnsProblem.Kind.NAME_NOT_FOUND);
    assertThat(kind(dns.mx("broken.test", TIMEOUT))).isEqualTo(DnsProblem.Kind.SERVER_FAILURE);
    assertThat(kind(dns.mx("silent.test", Duration.ofMillis(300))))
        .isEqualTo(DnsProblem.Kind.TIMEOUT);
  }

  @Test
  void moreMxHostsThanTheLimitAreCountedNotProbed() {
    server.answer(
        "big.test",
        Type.MX,
        IntStream.range(0, 12)
            .mapToObj(i -> mx("big.test", i, "mx" + i + ".big.test"))
            .toArray(Record[]::new));

    MxLookup.Hosts hosts = (MxLookup.Hosts) dns.mx("big.test", TIMEOUT);

    assertThat(hosts.hosts()).hasSize(MailDns.MAX_MX_HOSTS);
    assertThat(hosts.hosts().getFirst()).isEqualTo(new MxHost("mx0.big.test", 0));
    assertThat(hosts.found()).isEqualTo(12);
  }

  @Test
  void everyAddressOfBothFamilies() throws Exception {
    server
        .answer("multi.test", Type.A, a("multi.test", "127.0.0.2"), a("multi.test", "127.0.0.3"))
        .answer("multi.test", Type.AAAA, aaaa("multi.test", "::1"));

    assertThat(dns.addresses("multi.test", TIMEOUT))
        .isEqualTo(
            new AddressLookup.Found(
                java.util.List.of(
                    InetAddress.getByName("127.0.0.2"),
                    InetAddress.getByName("127.0.0.3"),
                    InetAddress.getByName("::1")),
                null));
  }

  @Test
  void addressesFromOneFamilyWhileTheOtherFailedAreNotAll() throws Exception {
    server
        .answer("half.test", Type.A, a("half.test", "127.0.0.2"))
        .fail("half.test", Type.AAAA, Rcode.SERVFAIL);

    AddressLookup.Found found = (AddressLookup.Found) dns.addresses("half.test", TIMEOUT);

    assertThat(found.addresses()).containsExactly(InetAddress.getByName("127.0.0.2"));
    assertThat(found.incomplete()).contains("SERVFAIL");
  }

  @Test
  void moreAddressesThanTheLimitAreNotAll() {
    server.answer(
        "pool.test",
        Type.A,
        IntStream.range(1, 11)
            .mapToObj(i -> a("pool.test", "127.0.1." + i))
            .toArray(Record[]::new));

    AddressLookup.Found found = (AddressLookup.Found) dns.addresses("pool.test", TIMEOUT);

    assertThat(found.addresses()).hasSize(MailDns.MAX_ADDRESSES);
    assertThat(found.incomplete())
        .isEqualTo("only the first 8 of its 10 addresses were probed (the limit per name)");
  }

  @Test
  void aNameWithoutAddressesAndOneThatDoesNotExist() {
    server.answer("mailonly.test", Type.MX, mx("mailonly.test", 10, "mx.elsewhere.test"));

    assertThat(problem(dns.addresses("mailonly.test", TIMEOUT)).kind())
        .isEqualTo(DnsProblem.Kind.NO_ADDRESS);
    assertThat(problem(dns.addresses("nothere.test", TIMEOUT)).kind())
        .isEqualTo(DnsProblem.Kind.NAME_NOT_FOUND);
  }

  @Test
  void theSystemResolverReadsTheHostsFileAndAnAddressIsItsOwnAnswer() throws Exception {
    assertThat(((AddressLookup.Found) MailDns.system().addresses("localhost", TIMEOUT)).addresses())
        .contains(InetAddress.getByName("127.0.0.1"));
    assertThat(MailDns.system().addresses("::1", TIMEOUT))
        .isEqualTo(new AddressLookup.Found(java.util.List.of(InetAddress.getByName("::1")), null));
  }

  @Test
  void anAliasWithoutItsMxRecordsOrAReferralIsNoAnswer() {
    server
        .answer(
            "alias.test",
            Type.MX,
            new CNAMERecord(name("alias.test"), DClass.IN, 60, name("elsewhere.test")))
        .refer("delegated.test", Type.MX);

    assertThat(((MxLookup.Failed) dns.mx("alias.test", TIMEOUT)).problem().detail())
        .endsWith("answered with an alias (CNAME) but not its MX records");
    assertThat(((MxLookup.Failed) dns.mx("delegated.test", TIMEOUT)).problem().detail())
        .endsWith("is neither authoritative nor recursive for it");
  }

  @Test
  void recordsOfAnotherNameAreNoAnswer() {
    // A null MX, an MX host and an address, each owned by a name that was not asked for: none of
    // them may become the domain's verdict (a null MX counts as compliant) or a host's address.
    server
        .answer(
            "victim.test",
            Type.MX,
            new MXRecord(name("unrelated.example"), DClass.IN, 300, 0, Name.root))
        .answer(
            "mixed.test",
            Type.MX,
            mx("mixed.test", 10, "mx.mixed.test"),
            mx("unrelated.example", 5, "mx.attacker.example"))
        .answer("host.test", Type.A, a("other.example", "127.0.0.9"));

    assertThat(dns.mx("victim.test", TIMEOUT))
        .isEqualTo(
            new MxLookup.Failed(
                new DnsProblem(
                    DnsProblem.Kind.SERVER_FAILURE,
                    "victim.test MX: "
                        + dns.describe()
                        + " answered with a record of another name (unrelated.example MX), so its"
                        + " answer is not used")));
    assertThat(kind(dns.mx("mixed.test", TIMEOUT))).isEqualTo(DnsProblem.Kind.SERVER_FAILURE);
    assertThat(dns.addresses("host.test", TIMEOUT))
        .isInstanceOf(AddressLookup.Failed.class)
        .extracting(failed -> ((AddressLookup.Failed) failed).problem().detail())
        .asString()
        .contains("host.test A: ")
        .endsWith(
            "answered with a record of another name (other.example A), so its answer is not"
                + " used");
  }

  @Test
  void recordsAtTheEndOfTheAliasChainAreTheAnswer() {
    server
        .answer(
            "alias.test",
            Type.MX,
            new CNAMERecord(name("alias.test"), DClass.IN, 60, name("mail.target.test")),
            mx("mail.target.test", 10, "mx.target.test"))
        .answer(
            "loop.test",
            Type.MX,
            new CNAMERecord(name("loop.test"), DClass.IN, 60, name("back.test")),
            new CNAMERecord(name("back.test"), DClass.IN, 60, name("loop.test")),
            mx("loop.test", 10, "mx.loop.test"));

    assertThat(dns.mx("alias.test", TIMEOUT))
        .isEqualTo(
            new MxLookup.Hosts(java.util.List.of(new MxHost("mx.target.test", 10)), false, 1));
    assertThat(((MxLookup.Failed) dns.mx("loop.test", TIMEOUT)).problem().detail())
        .endsWith("answered with an alias chain that loops or does not end");
  }

  /** A forged reply that wins the race does not end the look-up: the real answer still counts. */
  @Test
  void aReplyWithAnotherIdIsSkippedAndTheRealAnswerTaken() throws Exception {
    server
        .answer("real.test", Type.A, a("real.test", "127.0.0.2"))
        .forgeFirst("real.test", Type.A, a("real.test", "127.0.0.66"))
        .forgeFirst("real.test", Type.AAAA, aaaa("real.test", "::66"));

    assertThat(dns.addresses("real.test", TIMEOUT))
        .isEqualTo(
            new AddressLookup.Found(java.util.List.of(InetAddress.getByName("127.0.0.2")), null));
  }

  /**
   * A truncated answer is asked again over TCP; when that fails too, the reason is told, whatever
   * exception carried it (one without a message read "did not answer (null)").
   */
  @Test
  void aTruncatedAnswerWhoseTcpRetryFailsIsAServerFailureThatSaysWhy() throws Exception {
    server.truncate("big.test", Type.MX);

    MxLookup.Failed failed = (MxLookup.Failed) dns.mx("big.test", TIMEOUT);

    assertThat(failed.problem().kind()).isEqualTo(DnsProblem.Kind.SERVER_FAILURE);
    assertThat(failed.problem().detail())
        .startsWith("big.test MX: " + dns.describe() + " did not answer (")
        .doesNotContain("(null)");
  }

  /**
   * A policy's look-ups run at once, each waiting for a resolver that takes its time: none may wait
   * for another's thread (on two cores the common fork-join pool has one).
   */
  @Test
  void manySlowLookUpsAtOnceAllGetTheirAnswer() throws Exception {
    for (int i = 0; i < 16; i++) {
      server
          .answer("slow" + i + ".test", Type.MX, mx("slow" + i + ".test", 10, "mx.slow.test"))
          .slow("slow" + i + ".test", Type.MX, Duration.ofMillis(300));
    }
    try (var lookups = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      var results =
          IntStream.range(0, 16)
              .mapToObj(i -> lookups.submit(() -> dns.mx("slow" + i + ".test", TIMEOUT)))
              .toList();
      for (var result : results) {
        assertThat(result.get()).isInstanceOf(MxLookup.Hosts.class);
      }
    }
  }

  @Test
  void aHostListedTwiceIsOneEndpointAtItsBestPreference() {
    server.answer(
        "twice.test",
        Type.MX,
        mx("twice.test", 20, "mx.twice.test"),
        mx("twice.test", 10, "mx.twice.test"));

    assertThat(dns.mx("twice.test", TIMEOUT))
        .isEqualTo(
            new MxLookup.Hosts(java.util.List.of(new MxHost("mx.twice.test", 10)), false, 1));
  }

  private static DnsProblem.Kind kind(MxLookup lookup) {
    return ((MxLookup.Failed) lookup).problem().kind();
  }

  private static DnsProblem problem(AddressLookup lookup) {
    return ((AddressLookup.Failed) lookup).problem();
  }
}
