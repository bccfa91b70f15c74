package io.mailtls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailtls.TestingProject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mailtls} against the packaged jar: it finds a Java 21+ when the default Java is older
 * (this machine's is 17), and names what to install when there is none.
 */
class LauncherIT {
  private static final String JAVA_17 = "/usr/lib/jvm/java-17-openjdk-amd64";

  private record Run(int exit, String output) {}

  private static Run launch(Map<String, String> env, String... args) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(
                            "bash", TestingProject.ROOT.resolve("bin/mailtls").toString()),
                        java.util.Arrays.stream(args))
                    .toList())
            .redirectErrorStream(true);
    builder.environment().remove("JAVA_HOME");
    builder.environment().put("PATH", JAVA_17 + "/bin:/usr/bin:/bin");
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("bin/mailtls did not finish within 60 s");
    }
    return new Run(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void withJava17FirstOnThePathItFindsANewerJava() throws Exception {
    Run run = launch(Map.of(), "--version");

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).startsWith("mailtls ").contains("\nJava ");
    assertThat(run.output()).doesNotContain("Java 17");
  }

  @Test
  void withoutAJava21ItSaysWhatToInstall() throws Exception {
    Run run = launch(Map.of("MAILTLS_JVM_DIRS", "/nonexistent"), "--version");

    assertThat(run.exit()).isEqualTo(3);
    assertThat(run.output().lines())
        .containsExactly(
            "mailtls needs Java 21 or newer, and found none.",
            "  found: " + JAVA_17 + "/bin/java (Java 17)",
            "Install one (Debian/Ubuntu: apt-get install openjdk-21-jre-headless; or Temurin from",
            "https://adoptium.net), or set JAVA_HOME to it.");
  }

  @Test
  void aScanStartsFromTheAotCacheTheBuildTrained() throws Exception {
    Path jdk = Path.of(System.getProperty("java.home"));
    Path cache = TestingProject.ROOT.resolve("operator/target/mailtls.aot");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Runtime.version().feature() >= 25, "the build trains an AOT cache on JDK 25+ only");
    assertThat(Files.readString(Path.of(cache + ".java")).strip())
        .isEqualTo(jdk.toRealPath().toString());

    // -Xlog:aot after the launcher's own options turns the cache's log back on.
    Run run =
        launch(
            Map.of("JAVA_HOME", jdk.toString(), "MAILTLS_JAVA_OPTS", "-Xlog:aot"),
            "scan",
            "smtp://127.0.0.1:1");

    assertThat(run.output()).contains("Opened AOT cache " + cache);
    assertThat(run.output()).doesNotContain("Unable to map", "mismatch");
    assertThat(run.output()).contains("smtp://127.0.0.1:1: UNREACHABLE");
  }

  @Test
  void aJsonLogStreamHasOnlyJsonLines(@TempDir Path policies) throws Exception {
    Files.writeString(
        policies.resolve("edge.yaml"),
        """
        apiVersion: mailtls.io/v1alpha1
        kind: MailEndpointPolicy
        metadata: {name: edge, namespace: mail}
        spec:
          endpoints: [{target: "smtp://127.0.0.1:1"}]
        """);
    ProcessBuilder builder =
        new ProcessBuilder(
                "bash",
                TestingProject.ROOT.resolve("bin/mailtls").toString(),
                "run",
                "--policies",
                policies.toString(),
                "--log-format",
                "json",
                "--metrics-port",
                "0",
                "--health-port",
                "0")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    // Bounded: a stream that never logs the round ends with the process after 60 s.
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                  process.destroyForcibly();
                }
              } catch (InterruptedException e) {
                process.destroyForcibly();
              }
            });
    List<String> lines = new ArrayList<>();
    try (BufferedReader err =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      // Until the first round is recorded: start-up, schema loading, metrics, the round.
      for (String line = err.readLine(); line != null; line = err.readLine()) {
        lines.add(line);
        if (line.contains("verdict changed")) {
          break;
        }
      }
    } finally {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }

    assertThat(lines).isNotEmpty();
    ObjectMapper json = new ObjectMapper();
    for (String line : lines) {
      JsonNode event = json.readTree(line); // fails on a line that is not JSON
      assertThat(event.path("log.level").asText()).as(line).isIn("INFO", "ERROR");
    }
  }
}
