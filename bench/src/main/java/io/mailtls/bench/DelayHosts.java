package io.mailtls.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The proxies of a range of {@link OperatorScale} hosts in a process of their own, so that every
 * process stays under the limit on open files: {@code DelayHosts FROM TO ONE_WAY_DELAY_MS}. Prints
 * "ready" once every listener is bound, then runs until killed.
 */
public final class DelayHosts {
  private static final String READY = "ready";

  private DelayHosts() {}

  public static void main(String[] args) throws Exception {
    OperatorScale.startHosts(
        Integer.parseInt(args[0]),
        Integer.parseInt(args[1]),
        Duration.ofMillis(Long.parseLong(args[2])));
    System.out.println(READY);
    System.out.flush();
    Thread.currentThread().join();
  }

  /** Starts a DelayHosts process with this JVM and class path; returns once it is ready. */
  static Process spawn(int from, int to, Duration delay, Path out) throws IOException {
    Process process =
        new ProcessBuilder(
                List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx256m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    DelayHosts.class.getName(),
                    String.valueOf(from),
                    String.valueOf(to),
                    String.valueOf(delay.toMillis())))
            .redirectError(out.resolve("delay-hosts-" + from + ".log").toFile())
            .start();
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = lines.readLine();
    if (!READY.equals(line)) {
      process.destroyForcibly();
      throw new IOException(
          "DelayHosts "
              + from
              + ".."
              + to
              + " did not start ("
              + line
              + "); see its log in "
              + out);
    }
    return process;
  }
}
