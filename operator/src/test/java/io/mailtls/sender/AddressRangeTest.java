package io.mailtls.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressRangeTest {
  @Test
  void rangesContainTheirAddressesOnly() throws Exception {
    AddressRange range = AddressRange.parse("10.1.2.0/23");

    assertThat(range.contains(InetAddress.getByName("10.1.3.255"))).isTrue();
    assertThat(range.contains(InetAddress.getByName("10.1.4.0"))).isFalse();
    assertThat(range.contains(InetAddress.getByName("::1"))).isFalse();
    assertThat(AddressRange.parse("::1").contains(InetAddress.getByName("::1"))).isTrue();
    assertThat(AddressRange.parse("0.0.0.0/0").contains(InetAddress.getByName("203.0.113.9")))
        .isTrue();
  }

  @Test
  void namesAndBadPrefixesAreRefusedWithoutDns() {
    assertThatThrownBy(() -> AddressRange.parse("mail.example.com"))
        .hasMessage("'mail.example.com' is not an IP address or CIDR range");
    assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/33"))
        .hasMessage("'10.0.0.0/33': the prefix length must be between 0 and 32");
    assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/x"))
        .hasMessage("'10.0.0.0/x' has no valid prefix length");
  }
}
