package io.mailtls.cli;

import org.slf4j.LoggerFactory;

/**
 * SIGHUP as Prometheus components use it: "read your config again". Through {@code sun.misc.Signal}
 * (module jdk.unsupported, in every JDK up to 25 at least), the one way a Java program can catch a
 * signal. Where it cannot be had (a JVM started with {@code -Xrs}), {@code POST /-/reload} still
 * works, and the log says so.
 */
final class HangupSignal {
  private HangupSignal() {}

  /** Runs {@code action} on every SIGHUP from now on, instead of ending the JVM; false if not. */
  static boolean onHangup(Runnable action) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> action.run());
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      LoggerFactory.getLogger(HangupSignal.class)
          .warn("SIGHUP cannot be caught here ({}); reload with POST /-/reload", e.getMessage());
      return false;
    }
  }
}
