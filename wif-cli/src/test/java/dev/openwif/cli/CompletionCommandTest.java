package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code wif completion bash|zsh}, checked by a real bash. */
class CompletionCommandTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = WifCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  /** Runs {@code script} with bash; its exit status and output (10 s at most). */
  private Run bash(String... args) throws Exception {
    Path output = dir.resolve("bash-output.txt");
    Process process =
        new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("bash did not finish in 10 s");
    }
    return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8), "");
  }

  @Test
  void completionWhenBashThenValidScriptNamingTheCommands() throws Exception {
    Run run = run("completion", "bash");
    Path script = dir.resolve("wif-completion.bash");
    Files.writeString(script, run.out());

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("projects", "service-accounts", "providers", "rules", "audit", "exchange")
        .contains("serve", "--admin-key-file", "--follow");
    Run syntax = bash("bash", "-n", script.toString());
    assertThat(syntax.exit()).as(syntax.out()).isZero();
  }

  @Test
  void completionWhenSourcedInBashThenCompleteKnowsWifAndCompletesASubcommand() throws Exception {
    Path script = dir.resolve("wif-completion.bash");
    Files.writeString(script, run("completion", "bash").out());

    Run sourced =
        bash(
            "bash",
            "-c",
            "source "
                + script
                + " && complete -p wif"
                + " && COMP_WORDS=(wif prov) COMP_CWORD=1 COMP_LINE='wif prov' COMP_POINT=8"
                + " && _complete_wif && echo \"candidates: ${COMPREPLY[*]}\"");

    assertThat(sourced.exit()).as(sourced.out()).isZero();
    assertThat(sourced.out()).contains("-F _complete_wif").contains("candidates: providers");
  }

  @Test
  void completionWhenZshThenBashcompinitThenTheBashScript() {
    Run zsh = run("completion", "zsh");

    assertThat(zsh.exit()).isZero();
    assertThat(zsh.out())
        .contains("autoload -U +X bashcompinit && bashcompinit")
        .endsWith(run("completion", "bash").out());
  }

  @Test
  void completionWhenUnknownShellThenUsageErrorExit2() {
    Run run = run("completion", "fish");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("wif: error: Invalid value for positional parameter");
  }
}
