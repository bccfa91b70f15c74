package io.mailtls.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mailtls} command line. */
@Command(
    name = "mailtls",
    mixinStandardHelpOptions = true,
    versionProvider = MailTlsCommand.Version.class,
    description = "Finds the mail endpoints that still accept deprecated TLS.",
    subcommands = {ScanCommand.class, RunCommand.class, OperatorCommand.class})
public final class MailTlsCommand implements Runnable {
  /** Exit code for an error that is neither a verdict nor a usage error. */
  static final int EXIT_INTERNAL_ERROR = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new MailTlsCommand());
    commandLine.setExecutionExceptionHandler(
        (e, cl, parseResult) -> {
          cl.getErr().println("mailtls: internal error: " + e);
          return EXIT_INTERNAL_ERROR;
        });
    return commandLine;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = MailTlsCommand.class.getPackage().getImplementationVersion();
      return new String[] {"mailtls " + (version != null ? version : "development build")};
    }
  }
}
