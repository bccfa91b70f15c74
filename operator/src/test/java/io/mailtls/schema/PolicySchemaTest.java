package io.mailtls.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mailtls.TestingProject;
import io.mailtls.api.MailEndpointPolicySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated CRD's validation, run the way the API server runs it (the mock API server of the
 * operator tests enforces none of it): every rule gets an invalid example, and the error names the
 * field.
 */
class PolicySchemaTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final PolicySchema SCHEMA = PolicySchema.fromClasspath();
  private static final PolicySchema SENDERS = PolicySchema.forSenderPolicies();
  private static final Path PROJECT = TestingProject.ROOT;

  static Stream<Path> samples() throws IOException {
    return Files.list(PROJECT.resolve("config/samples"))
        .filter(p -> p.toString().endsWith(".yaml"))
        .sorted();
  }

  @ParameterizedTest
  @MethodSource("samples")
  void samplesAreValid(Path sample) throws IOException {
    JsonNode policy = YAML.readTree(sample.toFile());
    PolicySchema schema =
        policy.path("kind").asText().equals("MailSenderPolicy") ? SENDERS : SCHEMA;
    assertThat(schema.validate(policy)).isEmpty();
  }

  @Test
  void thereAreFiveSamples() throws IOException {
    assertThat(samples().map(p -> p.getFileName().toString()))
        .containsExactly(
            "exchange-hybrid.yaml",
            "exchange-senders.yaml",
            "imap-pop3.yaml",
            "mail-domains.yaml",
            "strict-tls13.yaml");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "senders: []| spec.senders: ",
        "senders: [{name: a}]| spec.senders[0].addresses: a sender needs addresses: an EHLO name is a claim any client can make",
        "senders: [{name: a, ehloNames: [b.example]}]| spec.senders[0].addresses: a sender needs addresses",
        "senders: [{name: a, addresses: [192.0.2.1], ehloNameOnly: true}]| spec.senders[0].addresses: a sender needs addresses",
        "senders: [{name: a, addresses: [mail.example.com]}]| spec.senders[0].addresses[0]: does not match",
        "senders: [{name: a, ehloNames: ['mail example']}]| spec.senders[0].ehloNames[0]: does not match",
        "senders: [{name: A, addresses: [192.0.2.1]}]| spec.senders[0].name: does not match",
        "senders: [{name: a, addresses: [192.0.2.1], software: Sendmail}]| spec.senders[0].software: does not have a value in the enumeration",
        "senders: [{name: a, addresses: [192.0.2.1]}, {name: a, ehloNames: [b.example], ehloNameOnly: true}]| spec.senders: senders must have unique names",
        "senders: [{name: a, addresses: [192.0.2.1]}], maxRecordAge: 30s| spec.maxRecordAge: maxRecordAge must be between 1m and 2160h",
        "senders: [{name: a, addresses: [192.0.2.1]}], minimumVersion: TLSv1.0| spec.minimumVersion: does not have a value in the enumeration",
      })
  void rejectsEachInvalidSenderFieldByName(String spec, String expected) throws IOException {
    List<String> errors =
        SENDERS.validate(
            YAML.readTree(
                "apiVersion: mailtls.io/v1alpha1\nkind: MailSenderPolicy\n"
                    + "metadata: {name: p, namespace: mail}\nspec: {"
                    + spec
                    + "}\n"));
    assertThat(errors).hasSize(1);
    assertThat(errors.getFirst()).startsWith(expected.strip());
  }

  @Test
  void defaultsAreThoseOfTheIssue() throws IOException {
    JsonNode spec =
        SCHEMA.withDefaults(policy("endpoints: [{target: smtp://mx.example.com}]")).get("spec");
    assertThat(spec.get("minimumVersion").asText()).isEqualTo("TLSv1.2");
    assertThat(spec.get("requireStartTls").asBoolean()).isTrue();
    assertThat(spec.get("interval").asText()).isEqualTo("15m");
    assertThat(spec.get("timeout").asText()).isEqualTo("10s");
    assertThat(spec.get("suspend").asBoolean()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "endpoints: [{target: smtp://mx.example.com}]",
        "endpoints: [{target: 'imaps://[2001:db8::1]:993', serverName: mail.example.com}]",
        "endpoints: [{target: pop3s://127.0.0.1:65535}]",
        "endpoints: [{target: smtp://a.example}, {target: smtp://a.example, serverName: b.example}]",
        "endpoints: [{target: smtp://a.example}], interval: 1m, timeout: 60s",
        "endpoints: [{target: smtp://a.example}], interval: 1h30m, timeout: 1500ms",
        "endpoints: [{target: smtp://a.example}], interval: 24h, minimumVersion: TLSv1.3",
        "endpoints: [{target: mx://example.com}, {target: 'mx://example.com:2525'}]",
      })
  void acceptsValidPolicies(String spec) throws IOException {
    assertThat(SCHEMA.validate(policy(spec))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "endpoints: []| spec.endpoints: ",
        "minimumVersion: TLSv1.2| spec: required property 'endpoints'",
        "endpoints: [{serverName: a.example}]| spec.endpoints[0]: required property 'target'",
        "endpoints: [{target: http://a.example}]| spec.endpoints[0].target: does not match",
        "endpoints: [{target: 'smtp://a.example:70000'}]| spec.endpoints[0].target: does not match",
        "endpoints: [{target: 'smtp://a_b.example'}]| spec.endpoints[0].target: does not match",
        "endpoints: [{target: 'mx://[::1]'}]| spec.endpoints[0].target: does not match",
        "endpoints: [{target: mx://example.com, serverName: mx.example.com}]| spec.endpoints[0].serverName: a serverName does not apply to an mx:// target",
        "endpoints: [{target: smtp://a.example, serverName: 'a b'}]| spec.endpoints[0].serverName: does not match",
        "endpoints: [{target: smtp://a.example, port: 25}]| spec.endpoints[0]: property 'port' is not defined",
        "endpoints: [{target: smtp://a.example}], minimumVersion: TLSv1.1| spec.minimumVersion: does not have a value in the enumeration",
        "endpoints: [{target: smtp://a.example}], requireStartTls: 'yes'| spec.requireStartTls: string found, boolean expected",
        "endpoints: [{target: smtp://a.example}], interval: 15 minutes| spec.interval: does not match",
        "endpoints: [{target: smtp://a.example}], interval: 30s| spec.interval: interval must be between 1m and 24h",
        "endpoints: [{target: smtp://a.example}], interval: 25h| spec.interval: interval must be between 1m and 24h",
        "endpoints: [{target: smtp://a.example}], timeout: 500ms| spec.timeout: timeout must be between 1s and 60s",
        "endpoints: [{target: smtp://a.example}], timeout: 2m| spec.timeout: timeout must be between 1s and 60s",
        "endpoints: [{target: smtp://a.example}, {target: smtp://a.example}]| spec.endpoints: endpoints must not list the same target and serverName twice",
        "endpoints: [{target: smtp://a.example}], suspend: 1| spec.suspend: integer found, boolean expected",
        "endpoints: [{target: smtp://a.example}], minimumversion: TLSv1.3| spec: property 'minimumversion' is not defined",
      })
  void rejectsEachInvalidFieldByName(String spec, String expected) throws IOException {
    List<String> errors = SCHEMA.validate(policy(spec));
    assertThat(errors).hasSize(1);
    assertThat(errors.getFirst()).startsWith(expected.strip());
  }

  @Test
  void rejectsMoreEndpointsThanTheLimit() throws IOException {
    StringBuilder endpoints = new StringBuilder("endpoints: [");
    for (int i = 0; i <= MailEndpointPolicySpec.MAX_ENDPOINTS; i++) {
      endpoints
          .append(i == 0 ? "" : ", ")
          .append("{target: smtp://mx")
          .append(i)
          .append(".example}");
    }
    assertThat(SCHEMA.validate(policy(endpoints + "]")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("spec.endpoints: ");
  }

  private static JsonNode policy(String specFlowYaml) throws IOException {
    return YAML.readTree(
        "apiVersion: mailtls.io/v1alpha1\nkind: MailEndpointPolicy\n"
            + "metadata: {name: p, namespace: mail}\nspec: {"
            + specFlowYaml
            + "}\n");
  }
}
