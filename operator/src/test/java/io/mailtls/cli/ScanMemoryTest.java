package io.mailtls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scan's memory does not grow with its list: 10,000 targets (closed loopback ports) run to the
 * end in a JVM of its own with a 24 MiB heap, the JSON document whole (it was some 28 KiB per
 * target when every result was held: 10,000 needed about 280 MiB).
 */
class ScanMemoryTest {
  private static final int TARGETS = 10_000;

  @Test
  void tenThousandTargetsFitA24MebibyteHeap(@TempDir Path dir) throws Exception {
    List<Integer> closed = new ArrayList<>();
    List<ServerSocket> held = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      held.add(s);
      closed.add(s.getLocalPort());
    }
    for (ServerSocket s : held) {
      s.close(); // closed again: nothing listens on these ports now
    }
    Path targets =
        Files.writeString(
            dir.resolve("targets.txt"),
            IntStream.range(0, TARGETS)
                .mapToObj(i -> "smtp://127.0.0.1:" + closed.get(i % closed.size()) + "\n")
                .collect(Collectors.joining()));
    Path json = dir.resolve("report.json");
    Path err = dir.resolve("err.txt");
    Process scan =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx24m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "scan",
                "--timeout",
                "2s",
                "-o",
                "json",
                "--targets-file",
                targets.toString())
            .redirectOutput(json.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      assertThat(scan.waitFor(90, TimeUnit.SECONDS)).as("the scan ends").isTrue();
    } finally {
      scan.destroyForcibly();
    }

    assertThat(Files.readString(err, StandardCharsets.UTF_8)).doesNotContain("OutOfMemoryError");
    assertThat(scan.exitValue()).isEqualTo(1);
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertThat(report.at("/summary/endpoints").asInt()).isEqualTo(TARGETS);
    assertThat(report.get("endpoints")).hasSize(TARGETS);
    assertThat(report.at("/endpoints/" + (TARGETS - 1) + "/failure/kind").asText())
        .isEqualTo("CONNECTION_REFUSED");
  }
}
