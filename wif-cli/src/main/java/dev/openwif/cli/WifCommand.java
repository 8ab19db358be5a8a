package dev.openwif.cli;

import dev.openwif.cli.admin.AdminConnection;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code wif} command line. Commands parse their options and delegate; they hold no logic.
 *
 * <p>Each command registers itself in the {@code subcommands} list below.
 */
@Command(
    name = "wif",
    mixinStandardHelpOptions = true,
    versionProvider = WifVersion.class,
    description =
        "OpenWIF: self-hosted workload identity federation, wire-compatible with OpenAI's.",
    subcommands = {
      CommandLine.HelpCommand.class,
      EmulateCommand.class,
      TokenCommand.class,
      ServeCommand.class,
      AdminKeysCommand.class,
      SigningKeysCommand.class,
      BackupCommand.class,
      RestoreCommand.class,
      AuditCommand.class,
      DemoCommand.class,
      ProjectsCommand.class,
      ServiceAccountsCommand.class,
      ProvidersCommand.class,
      RulesCommand.class,
      PlanCommand.class,
      ApplyCommand.class,
      ExportCommand.class,
      ExchangeCommand.class,
      CompletionCommand.class,
    })
public final class WifCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    // SLF4J initialises on its first use. Left to the JUL bridge, that first use is the web server
    // logging from several threads at once, and SLF4J then prints a "replayed logging calls"
    // warning.
    LoggerFactory.getILoggerFactory();
    // Helidon and the JDK log through java.util.logging; route it to SLF4J so the jar's logback.xml
    // (stderr, third-party INFO quieted) governs every log line and stdout stays the command's own.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(commandLine().execute(args));
  }

  /**
   * The {@code wif} command line as {@code main} runs it: every sub-command answers {@code
   * --version} with the build's version, lists the environment variables it reads in its usage, and
   * errors are one {@code wif: error: ...} line.
   */
  public static CommandLine commandLine() {
    return commandLine(System.getenv());
  }

  /**
   * Like {@link #commandLine()}, with {@code environment} as the environment the commands' options
   * are read from ({@link ConfigSources}).
   */
  static CommandLine commandLine(Map<String, String> environment) {
    CommandLine cli = new CommandLine(new WifCommand());
    cli.setParameterExceptionHandler(CliErrors::badCommandLine);
    cli.setExecutionExceptionHandler(CliErrors::unexpected);
    configure(cli, environment);
    return cli;
  }

  /**
   * The build's version, the environment variables a command reads in its usage, and options from
   * the environment and a file for the commands that take them.
   */
  private static void configure(CommandLine cli, Map<String, String> environment) {
    cli.getCommandSpec().versionProvider(new WifVersion());
    if (cli.getCommand() instanceof ConfigSources.Configured) {
      ConfigSources.install(cli, environment);
    }
    if (cli.getCommand() instanceof SigningKeysCommand.Retire) {
      // a kid is base64url (RFC 7638) and starts with '-' once in 64: it is the KID, not an option
      cli.setUnmatchedOptionsArePositionalParams(true);
    }
    for (CommandLine.Model.CommandSpec mixin : cli.getCommandSpec().mixins().values()) {
      if (mixin.userObject() instanceof AdminConnection connection) {
        connection.environment(environment);
      }
    }
    if (cli.getCommand() instanceof ExchangeCommand exchange) {
      exchange.environment = environment;
    }
    if (cli.getCommand() instanceof EnvironmentHelp.Documented documented) {
      EnvironmentHelp.install(cli, documented.environment());
    }
    cli.getSubcommands().values().forEach(sub -> configure(sub, environment));
  }
}
