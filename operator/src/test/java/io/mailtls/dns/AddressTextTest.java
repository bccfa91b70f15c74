package io.mailtls.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressTextTest {

  @ParameterizedTest
  @CsvSource({
    "::1, ::1",
    "::, ::",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:0db8:0000:0000:0000:0000:0002:0001, 2001:db8::2:1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "fe80:0:0:0:0:0:0:0, fe80::",
    "127.0.0.2, 127.0.0.2"
  })
  void writesTheShortForm(String address, String text) throws Exception {
    assertThat(AddressText.of(InetAddress.getByName(address))).isEqualTo(text);
  }
}
