package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option of {@code wif serve}, those added after this test was written included, is settable
 * from its environment variable and from the {@code --config} file, and lands on the command
 * exactly as the same value given as a flag.
 */
@Tag("crypto-neutral")
class ConfigSourcesTest {
  @TempDir Path dir;

  /** The options of {@code wif serve} the environment and the file can set. */
  private static List<OptionSpec> serveOptions() {
    List<OptionSpec> options = new ArrayList<>();
    for (OptionSpec option : serve(Map.of()).getCommandSpec().options()) {
      if (ConfigSources.configurable(option)
          && !option.longestName().equals(ConfigSources.CONFIG_OPTION)) {
        options.add(option);
      }
    }
    return options;
  }

  private static CommandLine serve(Map<String, String> environment) {
    return WifCommand.commandLine(environment).getSubcommands().get("serve");
  }

  /** {@code wif serve ARGS} parsed (not run) with {@code environment}: the serve command line. */
  private static CommandLine parsed(Map<String, String> environment, String... args) {
    CommandLine root = WifCommand.commandLine(environment);
    List<String> all = new ArrayList<>(List.of("serve"));
    all.addAll(List.of(args));
    root.parseArgs(all.toArray(String[]::new));
    return root.getSubcommands().get("serve");
  }

  /** Values the option's type takes, none of them a default: two for a repeatable option. */
  private static List<String> sample(OptionSpec option) {
    Class<?> type =
        option.isMultiValue() || option.type() == Optional.class
            ? option.auxiliaryTypes()[0]
            : option.type();
    String one;
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      one = "12345";
    } else if (type == double.class || type == Double.class) {
      one = "123.5";
    } else if (type == boolean.class || type == Boolean.class) {
      one = "true";
    } else if (type == Path.class) {
      one = "/var/lib/openwif/sample";
    } else {
      one = "sample-" + ConfigSources.key(option);
    }
    return option.isMultiValue() ? List.of(one + "-a", one + "-b") : List.of(one);
  }

  /** The option's value after parsing {@code args} with {@code environment}. */
  private static Object parsedValue(
      OptionSpec option, Map<String, String> environment, String... args) {
    CommandLine cli = parsed(environment, args);
    return cli.getCommandSpec().findOption(option.longestName()).getValue();
  }

  private static ConfigSources.Source parsedSource(
      OptionSpec option, Map<String, String> environment, String... args) {
    CommandSpec spec = parsed(environment, args).getCommandSpec();
    return ConfigSources.sourceOf(spec, spec.findOption(option.longestName()));
  }

  private static String[] asFlags(OptionSpec option, List<String> values) {
    List<String> args = new ArrayList<>();
    for (String value : values) {
      args.add(option.longestName());
      if (option.arity().max() > 0) {
        args.add(value);
      }
    }
    return args.toArray(String[]::new);
  }

  @Test
  void serveOptionsWhenWalkedThenThereAreManyAndTheyIncludeTheKnownOnes() {
    assertThat(serveOptions())
        .extracting(OptionSpec::longestName)
        .hasSizeGreaterThan(25)
        .contains("--port", "--exchange-rate-per-address", "--trusted-proxy", "--dev");
  }

  @Test
  void defaultValueWhenEveryServeOptionSetByItsEnvironmentVariableThenSameAsTheFlag() {
    for (OptionSpec option : serveOptions()) {
      List<String> values = sample(option);
      String variable = ConfigSources.environmentVariable(option);
      Map<String, String> environment = Map.of(variable, String.join(",", values));

      Object fromFlag = parsedValue(option, Map.of(), asFlags(option, values));
      Object fromDefault = parsedValue(option, Map.of());
      Object fromEnvironment = parsedValue(option, environment);

      assertThat(fromFlag).as(option.longestName()).isNotEqualTo(fromDefault);
      assertThat(fromEnvironment).as(variable).isEqualTo(fromFlag);
      assertThat(parsedSource(option, environment))
          .as(variable)
          .isEqualTo(new ConfigSources.Source.Environment(variable));
    }
  }

  @Test
  void defaultValueWhenEveryServeOptionSetInTheConfigFileThenSameAsTheFlag() throws Exception {
    StringBuilder yaml = new StringBuilder();
    for (OptionSpec option : serveOptions()) {
      List<String> values = sample(option);
      yaml.append(ConfigSources.key(option))
          .append(": ")
          .append(option.isMultiValue() ? "[" + String.join(", ", values) + "]" : values.get(0))
          .append('\n');
    }
    Path file = Files.writeString(dir.resolve("wif.yaml"), yaml);

    for (OptionSpec option : serveOptions()) {
      Object fromFlag = parsedValue(option, Map.of(), asFlags(option, sample(option)));
      Object fromFile = parsedValue(option, Map.of(), "--config", file.toString());

      assertThat(fromFile).as(option.longestName()).isEqualTo(fromFlag);
      assertThat(parsedSource(option, Map.of(), "--config", file.toString()))
          .as(option.longestName())
          .isEqualTo(new ConfigSources.Source.File(file));
    }
  }

  @Test
  void defaultValueWhenFlagEnvironmentAndFileAllSetThenFlagBeatsEnvironmentBeatsFile()
      throws Exception {
    Path file = Files.writeString(dir.resolve("wif.yaml"), "port: 1111\ntoken-ttl: 2222\n");
    Map<String, String> environment =
        Map.of("WIF_PORT", "3333", "WIF_CONFIG", file.toString(), "WIF_IDLE_TIMEOUT", "77");

    ServeCommand command = parsed(environment, "--port", "4444").getCommand();

    assertThat(command.port).isEqualTo(4444);
    assertThat(command.idleTimeoutSeconds).isEqualTo(77);
    assertThat(command.tokenTtlSeconds).isEqualTo(2222);
    assertThat(command.headerTimeoutSeconds).isEqualTo(10);
    assertThat(((ServeCommand) parsed(environment).getCommand()).port).isEqualTo(3333);
  }

  @Test
  void defaultValueWhenEnvironmentVariableEmptyThenIgnored() {
    assertThat(((ServeCommand) parsed(Map.of("WIF_PORT", " ")).getCommand()).port).isEqualTo(8080);
  }

  private record Run(int exit, String err) {}

  private static Run run(Map<String, String> environment, String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = WifCommand.commandLine(environment);
    cli.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of("serve"));
    all.addAll(List.of(args));
    return new Run(cli.execute(all.toArray(String[]::new)), err.toString());
  }

  private static String firstLine(Run run) {
    return run.err().lines().findFirst().orElse("");
  }

  @Test
  void executeWhenFileHasUnknownKeyThenRefusedNamingFileAndKey() throws Exception {
    Path file = Files.writeString(dir.resolve("wif.yaml"), "port: 0\nprot: 1\n");

    Run run = run(Map.of(), "--config", file.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(firstLine(run))
        .isEqualTo(
            "wif: error: "
                + file
                + ": unknown key 'prot' (keys are the flags of 'wif serve' without their leading"
                + " dashes; see --help)");
  }

  @Test
  void executeWhenFileValueHasTheWrongTypeThenRefusedNamingFileAndKey() throws Exception {
    Map<String, String> cases = new HashMap<>();
    cases.put("port: eighty\n", ": port: 'eighty' is not a whole number");
    cases.put(
        "exchange-rate-per-address: fast\n", ": exchange-rate-per-address: 'fast' is not a number");
    cases.put("dev: yes please\n", ": dev: 'yes please' is not true or false");
    cases.put("port: [1, 2]\n", ": port: expected one value, found a list");
    cases.put("port:\n  value: 1\n", ": port: expected a value, found a nested mapping");
    cases.put("port: 1\nport: 2\n", ": not valid YAML: Duplicate field 'port' (line 2)");
    cases.put("- port\n", ": expected a mapping of flag names to values, for example 'port: 8080'");
    cases.put(
        "port: 1\n  x: : y\n", ": not valid YAML: mapping values are not allowed here (line 2)");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Path file = Files.writeString(dir.resolve("wif.yaml"), c.getKey());

      Run run = run(Map.of(), "--config", file.toString());

      assertThat(run.exit()).as(c.getKey()).isEqualTo(2);
      assertThat(firstLine(run)).as(c.getKey()).isEqualTo("wif: error: " + file + c.getValue());
    }
  }

  @Test
  void executeWhenEnvironmentValueHasTheWrongTypeThenRefusedNamingTheVariable() {
    Run run = run(Map.of("WIF_MAX_CONNECTIONS", "many"));

    assertThat(run.exit()).isEqualTo(2);
    assertThat(firstLine(run))
        .isEqualTo("wif: error: WIF_MAX_CONNECTIONS: 'many' is not a whole number");
  }

  @Test
  void executeWhenConfigFileMissingThenRefusedNamingIt() {
    Path missing = dir.resolve("missing.yaml");

    Run run = run(Map.of("WIF_CONFIG", missing.toString()));

    assertThat(run.exit()).isEqualTo(2);
    assertThat(firstLine(run)).isEqualTo("wif: error: --config " + missing + ": no such file");
  }

  @Test
  void helpWhenServeThenEveryOptionNamesItsEnvironmentVariable() {
    StringWriter out = new StringWriter();
    CommandLine cli = WifCommand.commandLine(Map.of());
    cli.setOut(new PrintWriter(out));
    cli.execute("serve", "--help");
    String help = out.toString();

    for (OptionSpec option : serveOptions()) {
      assertThat(help).contains("Env: " + ConfigSources.environmentVariable(option));
    }
    assertThat(help)
        .contains("Env: WIF_CONFIG.")
        .contains("Env: WIF_TRUSTED_PROXY (comma-separated).");
  }
}
