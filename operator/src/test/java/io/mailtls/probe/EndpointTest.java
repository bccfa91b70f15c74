package io.mailtls.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointTest {
  @ParameterizedTest
  @CsvSource({
    "smtp://mx.example.com, SMTP, mx.example.com, 25",
    "submission://mail.example.com, SUBMISSION, mail.example.com, 587",
    "smtps://mail.example.com, SMTPS, mail.example.com, 465",
    "imap://mail.example.com, IMAP, mail.example.com, 143",
    "imaps://mail.example.com, IMAPS, mail.example.com, 993",
    "pop3://mail.example.com, POP3, mail.example.com, 110",
    "pop3s://mail.example.com, POP3S, mail.example.com, 995",
    "SMTP://127.0.0.1:2525, SMTP, 127.0.0.1, 2525",
    "imaps://[::1]:10993, IMAPS, ::1, 10993",
  })
  void parsesSchemesAndDefaultPorts(String target, MailProtocol protocol, String host, int port) {
    assertThat(Endpoint.parse(target)).isEqualTo(new Endpoint(protocol, host, port));
  }

  @Test
  void printsInTheSameSyntax() {
    assertThat(Endpoint.parse("smtp://mx.example.com")).hasToString("smtp://mx.example.com:25");
    assertThat(Endpoint.parse("imaps://[::1]")).hasToString("imaps://[::1]:993");
  }

  @Test
  void badTargetsSayWhatIsWrong() {
    assertThatThrownBy(() -> Endpoint.parse("http://mx.example.com"))
        .hasMessage(
            "unknown scheme 'http' in 'http://mx.example.com': expected one of smtp, submission, smtps, imap, imaps, pop3, pop3s");
    assertThatThrownBy(() -> Endpoint.parse("mx.example.com"))
        .hasMessageContaining("write scheme://host[:port]");
    assertThatThrownBy(() -> Endpoint.parse("smtp://mx:abc"))
        .hasMessage("port 'abc' of 'smtp://mx:abc' is not a number");
    assertThatThrownBy(() -> Endpoint.parse("smtp://mx:70000"))
        .hasMessage("endpoint port 70000 is not in 1..65535");
    assertThatThrownBy(() -> Endpoint.parse("smtp://:25"))
        .hasMessage("'smtp://:25' has no valid host");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "smtp://::1       | more than one ':'; an IPv6 address goes in brackets: smtp://[::1]:25",
        "smtp://h:25:25   | more than one ':'",
        "smtp://h:+25     | port '+25' of 'smtp://h:+25' is not a number",
        "smtp://h:-1      | port '-1' of 'smtp://h:-1' is not a number",
        "smtp://h:0025000 | port '0025000' of 'smtp://h:0025000' is not a number",
        "smtp://m x       | 'm x' in 'smtp://m x' is not a host name or address",
        "smtp://mx?a=b    | 'mx?a=b' in 'smtp://mx?a=b' is not a host name or address",
        "smtp://mx#frag   | 'mx#frag' in 'smtp://mx#frag' is not a host name or address",
        "smtp://[mx]:25   | 'mx' in 'smtp://[mx]:25' is not an IPv6 address",
      })
  void malformedTargetsAreUsageErrorsNotDnsLookups(String target, String message) {
    assertThatThrownBy(() -> Endpoint.parse(target))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aHostNameIsAtMost253CharactersAndEachLabel1To63() {
    String label = "a".repeat(63);
    String name253 = String.join(".", label, label, label, "b".repeat(61));
    assertThat(Endpoint.parse("smtp://" + name253).host()).isEqualTo(name253);
    assertThat(Endpoint.parse("smtp://" + name253 + ".:25").host()).isEqualTo(name253 + ".");

    assertThatThrownBy(() -> Endpoint.parse("smtp://" + name253 + "b:25"))
        .hasMessageStartingWith("the host name of 'smtp://aaaa")
        .hasMessageEndingWith("…' has 254 characters: a DNS name has at most 253");
    assertThatThrownBy(() -> Endpoint.parse("smtp://mx." + "c".repeat(64) + ".example"))
        .hasMessage(
            "the label '"
                + "c".repeat(64)
                + "' of 'smtp://mx."
                + "c".repeat(64)
                + ".examp…' has 64 characters: a DNS label has 1 to 63");
    assertThatThrownBy(() -> Endpoint.parse("smtp://mx..example"))
        .hasMessage(
            "the host name of 'smtp://mx..example' has an empty label: a DNS label has 1 to 63");
    // The check is on the name itself, whatever it takes to get there.
    assertThatThrownBy(() -> Endpoint.parse("smtp://" + "d".repeat(20_000_000)))
        .hasMessageContaining("has 20000000 characters");
  }

  @Test
  void aMessageQuotesTheTargetEscapedAndShortened() {
    assertThatThrownBy(() -> Endpoint.parse("smtp://mx\u001b[31m.example\u0007" + "x".repeat(500)))
        .hasMessage(
            "'mx\\x1B[31m.example\\x07"
                + "x".repeat(58)
                + "…' in 'smtp://mx\\x1B[31m.example\\x07"
                + "x".repeat(51)
                + "…' is not a host name or address (letters, digits, '-', '_' and '.' only)");
  }

  @Test
  void aFullyQualifiedNameKeepsItsDot() {
    assertThat(Endpoint.parse("smtp://mx.example.com.:25").host()).isEqualTo("mx.example.com.");
  }

  @Test
  void addressLiteralsGetNoSni() {
    assertThat(Endpoint.parse("smtp://192.0.2.10").hostIsAddressLiteral()).isTrue();
    assertThat(Endpoint.parse("smtp://[2001:db8::1]").hostIsAddressLiteral()).isTrue();
    assertThat(Endpoint.parse("smtp://mx1.example.com").hostIsAddressLiteral()).isFalse();
  }
}
