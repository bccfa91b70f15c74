package io.mailtls.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtls.compliance.CompliancePolicy;
import io.mailtls.receiver.ReceiverCertificate;
import io.mailtls.tls.TlsVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The modules file: read whole, every problem named by its field, never half used. */
class ProbeConfigFileTest {
  @TempDir Path dir;

  private Path file(String yaml) throws Exception {
    return Files.writeString(dir.resolve("probe.yml"), yaml);
  }

  private List<String> problems(String yaml) throws Exception {
    Path file = file(yaml);
    try {
      ProbeConfigFile.read(file);
    } catch (InvalidProbeConfigException e) {
      assertThat(e.getMessage()).isEqualTo(file + ": " + String.join("; ", e.problems()));
      return e.problems();
    }
    throw new AssertionError("read without a problem: " + yaml);
  }

  private Path caFile() throws Exception {
    byte[] der = ReceiverCertificate.selfSigned("ca.test").chain().getFirst();
    return Files.writeString(
        dir.resolve("ca.pem"),
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
            + "\n-----END CERTIFICATE-----\n");
  }

  @Test
  void everyFieldIsReadAndLeftOutOnesKeepTheirDefaults() throws Exception {
    caFile();
    Path file =
        file(
            """
            modules:
              exchange:
                minimumVersion: TLSv1.3
                requireStartTls: false
                timeout: 5s
                serverName: mail.contoso.com
                caFile: ca.pem
                ehloName: probe.contoso.com
              plain: {}
              bare:
            """);

    Map<String, ProbeModule> modules = ProbeConfigFile.read(file);

    assertThat(modules)
        .containsExactly(
            Map.entry(
                "exchange",
                new ProbeModule(
                    "exchange",
                    new CompliancePolicy(TlsVersion.TLS_1_3, false),
                    Duration.ofSeconds(5),
                    "mail.contoso.com",
                    dir.resolve("ca.pem"), // relative to the file's directory
                    "probe.contoso.com")),
            Map.entry(
                "plain",
                new ProbeModule(
                    "plain", CompliancePolicy.DEFAULT, Duration.ofSeconds(10), null, null, null)),
            Map.entry(
                "bare",
                new ProbeModule(
                    "bare", CompliancePolicy.DEFAULT, Duration.ofSeconds(10), null, null, null)));
  }

  @Test
  void eachBadFieldIsNamed() throws Exception {
    Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
    assertThat(
            problems(
                """
                modules:
                  strict:
                    minimumVersion: TLSv1.1
                    requireStartTls: "yes"
                    timeout: 5x
                    serverName: "mail contoso"
                    ehloName: "-bad-"
                    caFile: junk.pem
                    peers: [exchange-online]
                  slow:
                    timeout: 2m
                  missing:
                    caFile: /nonexistent/ca.pem
                  "bad name": {}
                  list: [TLSv1.3]
                  typed:
                    minimumVersion: 1.3
                """))
        .containsExactly(
            "modules.strict.peers: unknown field (known: minimumVersion, requireStartTls, timeout,"
                + " serverName, caFile, ehloName)",
            "modules.strict.minimumVersion: 'TLSv1.1' is not TLSv1.2 or TLSv1.3",
            "modules.strict.requireStartTls: expected true or false",
            "modules.strict.timeout: '5x' is not a duration such as 90s, 15m or 1h30m",
            "modules.strict.serverName: 'mail contoso' is not a host name",
            "modules.strict.ehloName: '-bad-' is not a host name (or an [address] literal)",
            "modules.strict.caFile: "
                + dir.resolve("junk.pem")
                + " holds no readable PEM certificates: No certificate data found",
            "modules.slow.timeout: 2m is not between 1s and 50s",
            "modules.missing.caFile: /nonexistent/ca.pem is not a readable file",
            "modules.bad name: a module name is 1 to 64 letters, digits, '_', '-' and '.', not"
                + " starting with '-' or '.'",
            "modules.list: expected a map of settings (minimumVersion, requireStartTls, timeout,"
                + " serverName, caFile, ehloName)",
            "modules.typed.minimumVersion: expected a string, not number");
  }

  @Test
  void theFileAsAWholeMustBeAMapOfModules() throws Exception {
    assertThat(problems("modules: [strict]\n"))
        .containsExactly("modules: expected a map of module names to their settings");
    assertThat(problems("module:\n  strict: {}\n"))
        .containsExactly(
            "module: unknown field (known: modules)",
            "modules: required (a map of module names to their settings)");
    assertThat(problems("- strict\n")).containsExactly("expected a map with the field modules");
  }

  @Test
  void anEmptyOrHalfWrittenFileIsRefusedNotReadAsNoModules() throws Exception {
    assertThat(problems("")).containsExactly("the file is empty; expected modules: {NAME: {...}}");
    assertThat(problems("modules:\n  strict: {minimumVersion: TLSv1.3\n").getFirst())
        .startsWith("not YAML: ");
    assertThat(problems("modules:\n  a: {}\n  a: {}\n").getFirst())
        .startsWith("not YAML: Duplicate field 'a'");
    assertThat(problems("modules: {}\n---\nmodules: {}\n"))
        .containsExactly("more than one YAML document");
  }

  @Test
  void noModulesAtAllIsAllowed() throws Exception {
    assertThat(ProbeConfigFile.read(file("modules: {}\n"))).isEmpty();
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nope.yml");
    assertThatThrownBy(() -> ProbeConfigFile.read(missing))
        .isInstanceOf(InvalidProbeConfigException.class)
        .hasMessage(missing + ": not a regular file");
  }
}
