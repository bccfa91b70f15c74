package io.mailtls.bench;

import io.mailtls.probe.Endpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Figure (h), start-up (issue 16): whole processes, each a new JVM, in one run. A scan of one
 * testbed listener and {@code --version} through {@code bin/mailtls} (what users run: its JVM
 * options and the build's AOT cache), the same through a plain {@code java -jar} (the JVM's
 * defaults, as before the launcher chose options), and sslscan's protocol check of the same
 * listener. Medians of N runs after 2 discarded; the page cache is warm, the JVM is not.
 *
 * <p>Arguments: {@code --root=DIR --target=smtp://127.0.0.1:24026 --runs=20 --out=DIR}.
 */
public final class StartupBench {
  private StartupBench() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> options =
        Arrays.stream(args)
            .map(a -> a.replaceFirst("^--", "").split("=", 2))
            .collect(Collectors.toMap(a -> a[0], a -> a.length > 1 ? a[1] : "true"));
    Path root = Path.of(options.getOrDefault("root", "."));
    Endpoint target = Endpoint.parse(options.getOrDefault("target", "smtp://127.0.0.1:24026"));
    int runs = Integer.parseInt(options.getOrDefault("runs", "20"));
    Path out = Path.of(options.getOrDefault("out", "bench/target/bench-results"));
    if (!target.host().startsWith("127.")) {
      throw new IllegalArgumentException("the target must be a loopback listener: " + target);
    }

    String launcher = root.resolve("bin/mailtls").toString();
    String jar = root.resolve("operator/target/mailtls.jar").toString();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    SslScan sslscan = new SslScan("sslscan", Duration.ofSeconds(60));

    List<String> rows = new ArrayList<>();
    Stats ssl = time(sslscan, sslscan.command(target, target.port(), SslScan.Mode.REDUCED), runs);
    Stats scan = time(sslscan, List.of(launcher, "scan", target.toString()), runs);
    Stats plainScan = time(sslscan, List.of(java, "-jar", jar, "scan", target.toString()), runs);
    Stats version = time(sslscan, List.of(launcher, "--version"), runs);
    Stats plainVersion = time(sslscan, List.of(java, "-jar", jar, "--version"), runs);
    rows.add(row("sslscan, protocols only (reduced flags)", ssl, ssl));
    rows.add(row("bin/mailtls scan (launcher options, AOT cache)", scan, ssl));
    rows.add(row("java -jar mailtls.jar scan (JVM defaults)", plainScan, ssl));
    rows.add(row("bin/mailtls --version", version, ssl));
    rows.add(row("java -jar mailtls.jar --version (JVM defaults)", plainVersion, ssl));

    String table =
        "| (h) "
            + target
            + ", "
            + runs
            + " runs each | median ms | p90 ms | min ms | median / sslscan |\n"
            + "|---|---|---|---|---|\n"
            + String.join("\n", rows)
            + "\n";
    System.out.print(table);
    Files.createDirectories(out);
    Files.writeString(
        out.resolve("startup-results.md"),
        table,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private static Stats time(SslScan runner, List<String> command, int runs) {
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < runs + 2; i++) {
      SslScan.Run run = runner.run(command);
      if (run.timedOut() || run.exitCode() > 1) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed with exit " + run.exitCode());
      }
      if (i >= 2) {
        times.add(run.wallMillis());
      }
    }
    return Stats.of(times);
  }

  private static String row(String what, Stats stats, Stats sslscan) {
    return String.format(
        Locale.ROOT,
        "| %s | %.0f | %.0f | %.0f | %.1f× |",
        what,
        stats.median(),
        stats.p90(),
        stats.min(),
        stats.median() / sslscan.median());
  }
}
