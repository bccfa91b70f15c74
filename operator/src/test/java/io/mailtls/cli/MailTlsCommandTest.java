package io.mailtls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Which subcommands the command line registers: only the one that runs, for a fast start. */
class MailTlsCommandTest {
  @Test
  void aNamedSubcommandIsTheOnlyOneRegistered() {
    CommandLine cli = MailTlsCommand.commandLine(new String[] {"scan", "smtp://127.0.0.1"});

    assertThat(cli.getSubcommands().keySet()).containsExactly("scan");
    assertThat(cli.getSubcommands().get("scan").isCaseInsensitiveEnumValuesAllowed()).isTrue();
  }

  @Test
  void withoutASubcommandTheHelpListsThemAll() {
    StringWriter out = new StringWriter();
    CommandLine cli = MailTlsCommand.commandLine(new String[] {"--help"});
    cli.setOut(new PrintWriter(out));

    assertThat(cli.execute("--help")).isZero();
    assertThat(cli.getSubcommands().keySet()).containsExactly("scan", "run", "receive", "operator");
    assertThat(out.toString()).contains("  scan ", "  operator ");
  }

  @Test
  void aMisspeltSubcommandStillGetsASuggestion() {
    StringWriter err = new StringWriter();
    CommandLine cli = MailTlsCommand.commandLine(new String[] {"operater"});
    cli.setErr(new PrintWriter(err));

    assertThat(cli.execute("operater")).isEqualTo(MailTlsCommand.EXIT_USAGE);
    assertThat(err.toString()).contains("Did you mean: mailtls operator?");
  }

  @Test
  void theVersionLinesArePicocliOnes() {
    assertThat(Main.versionLines()).isEqualTo(new MailTlsCommand.Version().getVersion());
    assertThat(Main.versionLines()[1])
        .isEqualTo("Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")");
  }
}
