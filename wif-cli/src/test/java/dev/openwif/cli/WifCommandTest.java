package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

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

  /** Our style: "for example", never "e.g.". */
  private static final String E_G = "e.g.";

  @Test
  void helpWhenAnyCommandThenNoTextSaysEG() {
    List<String> found = new ArrayList<>();
    for (List<String> path : commandPaths()) {
      CommandLine cli = WifCommand.commandLine();
      for (String word : path) {
        cli = cli.getSubcommands().get(word);
      }
      CommandLine.Model.CommandSpec spec = cli.getCommandSpec();
      UsageMessageSpec usage = spec.usageMessage();
      List<String> texts = new ArrayList<>();
      texts.addAll(List.of(usage.header()));
      texts.addAll(List.of(usage.description()));
      texts.addAll(List.of(usage.footer()));
      for (CommandLine.Model.OptionSpec option : spec.options()) {
        texts.addAll(List.of(option.description()));
        texts.add(option.paramLabel());
      }
      for (CommandLine.Model.PositionalParamSpec param : spec.positionalParameters()) {
        texts.addAll(List.of(param.description()));
        texts.add(param.paramLabel());
      }
      texts.stream()
          .filter(text -> text.contains(E_G))
          .forEach(text -> found.add(spec.qualifiedName() + ": " + text));
    }

    assertThat(found).isEmpty();
  }

  /**
   * Error messages and the dashboard's texts are not in the usage: every line of the command line's
   * and the server's sources that is not a comment (the dashboard's templates included).
   */
  @Test
  void sourcesWhenScannedThenNoMessageOrTemplateSaysEG() throws IOException {
    Path checkout = Path.of(System.getProperty("user.dir")).getParent();
    List<String> found = new ArrayList<>();
    for (String module : List.of("wif-cli", "wif-server")) {
      Path main = checkout.resolve(module).resolve("src/main");
      assertThat(main).isDirectory();
      try (Stream<Path> files = Files.walk(main)) {
        for (Path file :
            files
                .filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".jte"))
                .toList()) {
          List<String> lines = Files.readAllLines(file);
          for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            boolean comment =
                line.startsWith("*") || line.startsWith("//") || line.startsWith("/*");
            if (!comment && line.contains(E_G)) {
              found.add(checkout.relativize(file) + ":" + (i + 1) + ": " + line);
            }
          }
        }
      }
    }

    assertThat(found).isEmpty();
  }

  private static boolean endsASentence(String line) {
    String s = line.strip();
    return s.endsWith(".") || s.endsWith(".)") || s.endsWith("!");
  }

  /** Help sections picocli starts in column 0: headings, the header and the description. */
  private static final Set<String> COLUMN_ZERO_SECTIONS =
      Set.of(
          UsageMessageSpec.SECTION_KEY_HEADER_HEADING,
          UsageMessageSpec.SECTION_KEY_HEADER,
          UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING,
          UsageMessageSpec.SECTION_KEY_DESCRIPTION_HEADING,
          UsageMessageSpec.SECTION_KEY_DESCRIPTION,
          UsageMessageSpec.SECTION_KEY_PARAMETER_LIST_HEADING,
          UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING,
          UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING,
          UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST_HEADING,
          UsageMessageSpec.SECTION_KEY_FOOTER_HEADING);

  @Test
  void helpWhenAnyCommandAtAnyWidthThenLaidOutInColumnsWithNoSplitWordAndNoLongLine() {
    List<List<String>> paths = new ArrayList<>(commandPaths());
    paths.add(List.of("help"));
    List<String> problems = new ArrayList<>();
    for (List<String> path : paths) {
      // One command line per path, laid out at each width (building one per width made the test
      // grow with the square of the number of commands).
      CommandLine cli = command(path, 2_000);
      // The same usage, so wide that nothing wraps: the words as written.
      String unwrapped = cli.getUsageMessage();
      // 80 is picocli's default; wider terminals (picocli.usage.width) move every wrap point.
      for (int width = 80; width <= 160; width++) {
        cli.setUsageHelpWidth(width);
        problems.addAll(helpProblems(path, cli, unwrapped, width));
      }
    }

    assertThat(problems).isEmpty();
  }

  private static CommandLine command(List<String> path, int width) {
    CommandLine cli = WifCommand.commandLine();
    for (String word : path) {
      cli = cli.getSubcommands().get(word);
    }
    cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    cli.setUsageHelpWidth(width);
    return cli;
  }

  /** Lines of {@code path}'s usage at {@code width} that break the layout, each described. */
  private static List<String> helpProblems(
      List<String> path, CommandLine cli, String unwrapped, int width) {
    String name = String.join(" ", path) + " at " + width + ": ";
    CommandLine.Help help = cli.getHelp();
    List<String> problems = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (String key : cli.getHelpSectionKeys()) {
      CommandLine.IHelpSectionRenderer renderer = cli.getHelpSectionMap().get(key);
      if (renderer == null) {
        continue;
      }
      List<String> section = renderer.render(help).lines().toList();
      for (int i = 0; i < section.size(); i++) {
        String line = section.get(i);
        boolean followsHeading = key.equals(UsageMessageSpec.SECTION_KEY_SYNOPSIS) && i == 0;
        if (!line.isEmpty()
            && !Character.isWhitespace(line.charAt(0))
            && !COLUMN_ZERO_SECTIONS.contains(key)
            && !followsHeading) {
          problems.add(name + "starts in column 0 in section " + key + ": " + line);
        }
      }
      lines.addAll(section);
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.length() > width) {
        problems.add(name + "longer than " + width + ": " + line);
      }
      if (i + 1 < lines.size() && !line.isBlank() && !lines.get(i + 1).isBlank()) {
        String[] before = line.strip().split(" +");
        String last = before[before.length - 1];
        String first = lines.get(i + 1).strip().split(" +")[0];
        if (unwrapped.contains(last + first) && !unwrapped.contains(last + " " + first)) {
          problems.add(name + "splits '" + last + first + "' after '" + last + "'");
        }
      }
    }
    return problems;
  }

  @Test
  void helpWhenHelpCommandNamesACommandThenTheSameUsageAsItsHelpOption() {
    assertThat(run("help", "serve").out()).isEqualTo(run("serve", "--help").out());
  }

  @Test
  void helpWhenServeThenListsTheEnvironmentVariablesItReads() {
    Run run = run("serve", "--help");

    assertThat(run.out())
        .contains("Environment:")
        .contains(ServeCommand.BOOTSTRAP_ENV)
        .contains(ServeCommand.MASTER_KEY_ENV)
        .contains(ServeCommand.UPSTREAM_KEY_ENV)
        .contains("--upstream ")
        .contains("--upstream-api-key-file")
        .contains("--upstream-connect-timeout")
        .contains("--upstream-timeout")
        .contains("--upstream-idle-timeout")
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
  void executeWhenUnknownCommandThenSaysUnknownCommandAndWhereToFindUsage() {
    Run top = run("nope");
    Run nested = run("token", "nope");

    assertThat(top.exit()).isEqualTo(2);
    assertThat(top.err().lines().toList())
        .containsExactly("wif: error: unknown command 'nope'", "Try 'wif --help' for usage.");
    assertThat(nested.exit()).isEqualTo(2);
    assertThat(nested.err().lines().toList())
        .containsExactly("wif: error: unknown command 'nope'", "Try 'wif token --help' for usage.");
  }

  @Test
  void executeWhenExtraArgumentToACommandWithoutSubcommandsThenPicocliMessage() {
    Run run = run("serve", "extra");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("wif: error: Unmatched argument").doesNotContain("unknown");
  }

  @Test
  void executeWhenCommandGroupWithoutSubcommandThenUsageOnStderrAndExit2() {
    for (String group : List.of("admin-keys", "token", "emulate")) {
      Run run = run(group);

      assertThat(run.exit()).as(group).isEqualTo(2);
      assertThat(run.out()).as(group).isEmpty();
      assertThat(run.err()).as(group).startsWith("Usage: wif " + group + " ");
    }
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
    Run run =
        run(
            "serve",
            "--host",
            "192.0.2.1",
            "--public-url",
            "https://wif.example.com",
            "--port",
            "0",
            "--db",
            "unused.db");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("wif: error: --host 192.0.2.1 cannot be listened on: ")
        .doesNotContain("port")
        .doesNotContain("another server");
  }
}
