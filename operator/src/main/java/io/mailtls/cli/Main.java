package io.mailtls.cli;

import io.mailtls.metrics.BuildInfo;

/**
 * The entry point. It answers {@code --version} itself, because loading the command line (picocli)
 * costs more than the rest of that answer; everything else goes to {@link MailTlsCommand}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // The lines picocli would print for the same option; returning (not System.exit) also
      // spares the service look-up that System.exit makes for its logger.
      System.out.println(String.join(System.lineSeparator(), versionLines()));
      return;
    }
    int exit = MailTlsCommand.commandLine(args).execute(args);
    if (args.length > 0 && args[0].equals("scan")) {
      // A scan registers no shutdown work, so it halts: System.exit would first look for logger
      // services in every jar of the class path (about 0.1 s here), to log that it exits.
      System.out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(exit);
    }
    System.exit(exit);
  }

  /**
   * What {@code --version} prints: the version and commit of the build, and the Java it runs on.
   */
  static String[] versionLines() {
    BuildInfo build = BuildInfo.current();
    return new String[] {
      "mailtls "
          + build.version()
          + " (commit "
          + build.commit()
          + (build.dirty() ? ", with uncommitted changes" : "")
          + ")",
      "Java "
          + System.getProperty("java.runtime.version") // Runtime.version() spins lambdas: slower
          + " ("
          + System.getProperty("java.home")
          + ")"
    };
  }
}
