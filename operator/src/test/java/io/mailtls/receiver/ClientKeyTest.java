package io.mailtls.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientKeyTest {
  @Test
  void ipv4IsTheAddressAndIpv6ItsSlash64() {
    assertThat(ClientKey.of("192.0.2.7")).isEqualTo("192.0.2.7");
    assertThat(ClientKey.of("2001:db8:1:2:aaaa::1")).isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientKey.of("2001:db8:1:2:bbbb::9")).isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientKey.of("::1")).isEqualTo("::/64");
  }
}
