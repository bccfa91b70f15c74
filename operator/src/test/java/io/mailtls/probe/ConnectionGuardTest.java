package io.mailtls.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
