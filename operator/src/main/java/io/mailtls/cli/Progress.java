package io.mailtls.cli;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * "12/125 endpoints probed" on standard error while a scan runs, rewritten in place, only when
 * standard error goes to a terminal: a pipe or a CI log gets nothing extra.
 */
final class Progress {
  private static final Progress NONE = new Progress(null, 0);

  private final PrintWriter err;
  private final int total;
  private final AtomicInteger finished = new AtomicInteger();

  private Progress(PrintWriter err, int total) {
    this.err = err;
    this.total = total;
  }

  static Progress onTerminal(PrintWriter err, int targets) {
    return isTerminal() ? new Progress(err, targets) : NONE;
  }

  /**
   * Java 22 and newer give a Console also when output is redirected and say whether it is a
   * terminal in {@code Console.isTerminal()}, which the Java 21 API this is built against lacks.
   */
  private static boolean isTerminal() {
    var console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) console.getClass().getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException | RuntimeException notJava22) {
      return true; // Java 21 gives a Console only for a terminal
    }
  }

  void finished() {
    int done = finished.incrementAndGet();
    if (err != null) {
      // Targets count mail domains once, but each MX host is an endpoint: show what is known.
      err.print("\r" + done + (done <= total ? "/" + total : "") + " endpoints probed");
      err.flush();
    }
  }

  void done() {
    if (err != null) {
      err.print("\r\033[K"); // clear the line: the report follows on standard output
      err.flush();
    }
  }
}
