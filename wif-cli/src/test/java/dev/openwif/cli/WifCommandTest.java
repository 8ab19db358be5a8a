package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What every command of the {@code wif} command line shares: version, help text, errors. */
class WifCommandTest {
  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = WifCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** Every command, as the words that run it: [], [serve], [admin-keys, list], ... */
  static List<List<String>> commandPaths() {
    List<List<String>> paths = new ArrayList<>();
    collect(WifCommand.commandLine(), List.of(), paths);
    return paths;
  }

  private static void collect(CommandLine cli, List<String> path, List<List<String>> paths) {
    paths.add(path);
    cli.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!name.equals("help")) {
                List<String> longer = new ArrayList<>(path);
                longer.add(name);
                collect(sub, longer, paths);
              }
            });
  }

  @Test
  void versionWhenAskedOfAnyCommandThenTheMavenProjectVersion() {
    String expected = "OpenWIF " + System.getProperty("wif.project.version");
    assertThat(System.getProperty("wif.project.version")).isNotBlank().doesNotContain("${");

    for (List<String> path : commandPaths()) {
      List<String> args = new ArrayList<>(path);
      args.add("--version");
      Run run = run(args.toArray(String[]::new));

      assertThat(run.exit()).as(String.join(" ", args)).isZero();
      assertThat(run.out().strip()).as(String.join(" ", args)).isEqualTo(expected);
    }
  }

  @Test
  void helpWhenAnyCommandThenEveryDescriptionLineIsAWholeSentence() {
    List<String> cut = new ArrayList<>();
    for (List<String> path : commandPaths()) {
      CommandLine cli = WifCommand.commandLine();
      for (String word : path) {
        cli = cli.getSubcommands().get(word);
      }
      CommandLine.Model.CommandSpec spec = cli.getCommandSpec();
      // Each element is one line of the usage (and the first one is the summary the parent lists),
      // so each must end a sentence rather than stop in the middle of one.
      for (String line : spec.usageMessage().description()) {
        if (!endsASentence(line)) {
          cut.add(spec.qualifiedName() + ": " + line);
        }
      }
      for (CommandLine.Model.OptionSpec option : spec.options()) {
        for (String line : option.description()) {
          if (!endsASentence(line)) {
            cut.add(spec.qualifiedName() + " " + option.longestName() + ": " + line);
          }
        }
      }
      for (CommandLine.Model.PositionalParamSpec param : spec.positionalParameters()) {
        for (String line : param.description()) {
          if (!endsASentence(line)) {
            cut.add(spec.qualifiedName() + " " + param.paramLabel() + ": " + line);
          }
        }
      }
    }

    assertThat(cut).isEmpty();
  }

  private static boolean endsASentence(String line) {
    String s = line.strip();
    return s.endsWith(".") || s.endsWith(".)") || s.endsWith("!");
  }

  @Test
  void helpWhenServeThenListsTheEnvironmentVariablesItReads() {
    Run run = run("serve", "--help");

    assertThat(run.out())
        .contains("Environment:")
        .contains(ServeCommand.BOOTSTRAP_ENV)
        .contains(ServeCommand.MASTER_KEY_ENV)
        .contains("WIF_JAVA_OPTS");
  }

  @Test
  void executeWhenUnknownOptionThenOneErrorLineWithThePrefixAndWhereToFindUsage() {
    Run run = run("serve", "--bogus");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().lines().toList())
        .containsExactly(
            "wif: error: Unknown option: '--bogus'", "Try 'wif serve --help' for usage.");
  }

  @Test
  void serveWhenHostUnknownThenBlamesTheHostNotThePort() {
    Run run = run("serve", "--host", "no-such-host.invalid", "--port", "0", "--db", "unused.db");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("wif: error: --host no-such-host.invalid is not an address or a known host")
        .doesNotContain("port");
  }

  @Test
  void serveWhenHostIsNotThisMachinesThenBlamesTheHostNotThePort() {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine.
    Run run = run("serve", "--host", "192.0.2.1", "--port", "0", "--db", "unused.db");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("wif: error: --host 192.0.2.1 cannot be listened on: ")
        .doesNotContain("port")
        .doesNotContain("another server");
  }
}
