package io.mailtls.cli;

import io.mailtls.text.ServerText;
import java.io.PrintWriter;
import java.net.BindException;
import java.util.List;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mailtls} command line. */
@Command(
    name = "mailtls",
    mixinStandardHelpOptions = true,
    versionProvider = MailTlsCommand.Version.class,
    description = "Finds the mail endpoints that still accept deprecated TLS.")
public final class MailTlsCommand implements Runnable {
  /** Exit code for a usage error: a bad option, target or file, a port that is taken. */
  static final int EXIT_USAGE = 2;

  /** Exit code for an error that is neither a verdict nor a usage error: a bug. */
  static final int EXIT_INTERNAL_ERROR = 3;

  /** Exit code when the Kubernetes API server cannot be reached or refuses the operator. */
  static final int EXIT_API_SERVER = 4;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
  }

  /** The subcommands, in the order the help lists them. */
  static final List<String> SUBCOMMANDS = List.of("scan", "run", "receive", "operator");

  /** The command line with every subcommand, as the help shows it. */
  static CommandLine commandLine() {
    return commandLine(SUBCOMMANDS);
  }

  /**
   * The command line for these arguments: with only the subcommand they name, for a fast start
   * (picocli reads each registered command's annotations, and {@code scan} has no use for the
   * operator's classes); else with all, for the help and for suggestions after a misspelt
   * subcommand.
   */
  static CommandLine commandLine(String[] args) {
    return args.length > 0 && SUBCOMMANDS.contains(args[0])
        ? commandLine(List.of(args[0]))
        : commandLine();
  }

  private static CommandLine commandLine(List<String> subcommands) {
    CommandLine commandLine = new CommandLine(new MailTlsCommand());
    subcommands.forEach(name -> commandLine.addSubcommand(subcommand(name)));
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setParameterExceptionHandler(MailTlsCommand::usageError);
    commandLine.setExecutionExceptionHandler(MailTlsCommand::failure);
    return commandLine;
  }

  /** A switch, not a map of constructors: only the subcommand that runs gets its class loaded. */
  private static Object subcommand(String name) {
    return switch (name) {
      case "scan" -> new ScanCommand();
      case "run" -> new RunCommand();
      case "receive" -> new ReceiveCommand();
      case "operator" -> new OperatorCommand();
      default -> throw new IllegalArgumentException("no subcommand " + name);
    };
  }

  /** One line that names the problem, and where to read more; not the whole usage text. */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println(cl.getCommandSpec().qualifiedName() + ": " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more.");
    err.flush();
    return EXIT_USAGE;
  }

  /**
   * What went wrong around the command, as one line with its cause: a port that is taken is a usage
   * error, an API server that cannot be reached or refuses is exit 4, anything else is a bug (exit
   * 3). The stack trace goes to the log at debug level only.
   */
  private static int failure(Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
    String command = cl.getCommandSpec().qualifiedName();
    PrintWriter err = cl.getErr();
    int exit;
    BindException taken = cause(e, BindException.class);
    if (taken != null) {
      err.println(
          command
              + ": "
              + taken.getMessage()
              + " (choose another with --metrics-port or --health-port)");
      exit = EXIT_USAGE;
    } else if (fromKubernetesClient(e)) {
      err.println(
          command
              + ": the Kubernetes API server cannot be reached or refused the operator: "
              + deepestMessage(e)
              + " (check the kubeconfig or the pod's service account and its RBAC)");
      exit = EXIT_API_SERVER;
    } else {
      err.println(command + ": internal error: " + e);
      exit = EXIT_INTERNAL_ERROR;
    }
    LoggerFactory.getLogger(MailTlsCommand.class).debug("the stack of that error", e);
    err.flush();
    return exit;
  }

  private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** By name, so that {@code scan} never loads the Kubernetes client to ask. */
  private static boolean fromKubernetesClient(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String name = t.getClass().getName();
      if (name.startsWith("io.fabric8.kubernetes.client.")
          || name.startsWith("io.javaoperatorsdk.operator.")) {
        return true;
      }
    }
    return false;
  }

  /** The message of the innermost cause that has one: what the API server or network said. */
  private static String deepestMessage(Throwable e) {
    String message = e.toString();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return ServerText.clean(message, 500);
  }

  /** The version from the jar's manifest and the commit it was built from. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return Main.versionLines();
    }
  }
}
