package io.mailtls.probe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the real loopback mail servers of {@code testbed/} (Postfix, Dovecot, openssl s_server)
 * once for all integration tests and stops them when the test run ends. The packages come from
 * {@code testbed/install.sh}, which {@code .ci/run} calls.
 */
public final class Testbed implements BeforeAllCallback {
  private static final Path SCRIPTS =
      Path.of(System.getProperty("mailtls.testbed.dir", "../testbed")).toAbsolutePath().normalize();

  /**
   * Set {@code -Dmailtls.testbed.state=DIR} to use a testbed someone else started there (e.g. the
   * benchmark's); it is then left running.
   */
  private static final String SHARED_STATE = System.getProperty("mailtls.testbed.state");

  /**
   * Under /tmp, not target/: Postfix opens its lock file as the unprivileged postfix user, so every
   * parent directory must be searchable by others, which a CI checkout may not be.
   */
  private static final Path STATE =
      Path.of(SHARED_STATE != null ? SHARED_STATE : "/tmp/mailtls-testbed-it").toAbsolutePath();

  public static Path caFile() {
    return STATE.resolve("ca.pem");
  }

  /** The testbed's state directory: Postfix's config in postfix/etc, its log in logs/. */
  public static Path state() {
    return STATE;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class);
  }

  /** The running testbed; JUnit closes it at the end of the whole run. */
  static final class Running implements ExtensionContext.Store.CloseableResource {
    static Running start() {
      run("start.sh");
      return new Running();
    }

    @Override
    public void close() {
      if (SHARED_STATE == null) {
        run("stop.sh");
      }
    }

    private static void run(String script) {
      try {
        Process process =
            new ProcessBuilder(
                    List.of("bash", SCRIPTS.resolve(script).toString(), STATE.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(script + " did not finish within 120 s");
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(
              "testbed/"
                  + script
                  + " failed (exit "
                  + process.exitValue()
                  + "); run testbed/install.sh as root first");
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot run testbed/" + script, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted running testbed/" + script, e);
      }
    }
  }
}
