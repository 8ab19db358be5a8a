package dev.openwif.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where a command's options come from besides its command line: every option {@code --some-flag}
 * may also be set by the environment variable {@code WIF_SOME_FLAG} and by the key {@code
 * some-flag} of the YAML file named by {@code --config} (or {@code WIF_CONFIG}). A flag on the
 * command line wins over the environment, which wins over the file, which wins over the default.
 *
 * <p>It is picocli's default-value provider, so it covers every option the command declares, those
 * added later included, with no code per option. picocli asks it only for the options the command
 * line did not give, after the given ones were set (so a {@code --config} on the command line is
 * known when the file is read). A repeatable option takes a comma-separated list from its variable
 * and a YAML list (or one value) from the file.
 *
 * <p>Values from the environment and the file are checked against the option's type here, so an
 * error names the variable, or the file and its key; unknown keys in the file are refused. Not
 * thread-safe: one instance serves one parse.
 */
final class ConfigSources implements CommandLine.IDefaultValueProvider {
  static final String CONFIG_OPTION = "--config";
  static final String ENV_PREFIX = "WIF_";

  /**
   * Joins the values a repeatable option takes from the environment or the file; set as the
   * option's split pattern. A character nobody types on a command line (ASCII unit separator).
   */
  private static final String SEPARATOR = "\u001f";

  private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d+");

  /** A command whose options are also read from the environment and a {@code --config} file. */
  interface Configured {}

  /** Where an option's value came from. */
  sealed interface Source {
    /** How the start-up summary shows it. */
    String describe();

    record Flag() implements Source {
      @Override
      public String describe() {
        return "flag";
      }
    }

    record Environment(String variable) implements Source {
      @Override
      public String describe() {
        return "env " + variable;
      }
    }

    record File(Path path) implements Source {
      @Override
      public String describe() {
        return "file " + path;
      }
    }

    record Default() implements Source {
      @Override
      public String describe() {
        return "default";
      }
    }
  }

  private final Map<String, String> environment;
  private final Map<String, Source> sources = new HashMap<>();
  private @Nullable ConfigFile file;

  private ConfigSources(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /**
   * Makes {@code cli}'s options settable from {@code environment} and the {@code --config} file,
   * and names each option's environment variable in its help.
   */
  static void install(CommandLine cli, Map<String, String> environment) {
    CommandSpec spec = cli.getCommandSpec();
    for (OptionSpec option : List.copyOf(spec.options())) {
      if (!configurable(option)) {
        continue;
      }
      OptionSpec.Builder rebuilt = OptionSpec.builder(option).description(described(option));
      if (option.isMultiValue() && option.splitRegex().isEmpty()) {
        rebuilt.splitRegex(SEPARATOR).splitRegexSynopsisLabel(" ");
      }
      spec.remove(option);
      spec.addOption(rebuilt.build());
    }
    spec.defaultValueProvider(new ConfigSources(environment));
  }

  /**
   * Where {@code option}'s value came from, once {@code spec}'s command line was parsed: the
   * command line, the environment, the file, or its default.
   */
  static Source sourceOf(CommandSpec spec, OptionSpec option) {
    if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
      return new Source.Flag();
    }
    if (spec.defaultValueProvider() instanceof ConfigSources provided) {
      Source source = provided.sources.get(option.longestName());
      if (source != null) {
        return source;
      }
    }
    return new Source.Default();
  }

  /** Options other than help and version: those the environment and the file can set. */
  static boolean configurable(OptionSpec option) {
    return !option.usageHelp() && !option.versionHelp() && option.longestName().startsWith("--");
  }

  /** {@code --exchange-rate-per-address} → {@code WIF_EXCHANGE_RATE_PER_ADDRESS}. */
  static String environmentVariable(OptionSpec option) {
    return ENV_PREFIX + key(option).toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** {@code --exchange-rate-per-address} → {@code exchange-rate-per-address}. */
  static String key(OptionSpec option) {
    return option.longestName().substring(2);
  }

  private static String[] described(OptionSpec option) {
    List<String> lines = new ArrayList<>(Arrays.asList(option.description()));
    lines.add(
        "Env: "
            + environmentVariable(option)
            + (option.isMultiValue() ? " (comma-separated)." : "."));
    return lines.toArray(String[]::new);
  }

  @Override
  public @Nullable String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || !configurable(option)) {
      return null;
    }
    String variable = environmentVariable(option);
    String fromEnvironment = environment.getOrDefault(variable, "").strip();
    if (!fromEnvironment.isEmpty()) {
      List<String> values =
          option.isMultiValue()
              ? Arrays.stream(fromEnvironment.split(",")).map(String::strip).toList()
              : List.of(fromEnvironment);
      for (String value : values) {
        check(option, value, variable);
      }
      sources.put(option.longestName(), new Source.Environment(variable));
      return String.join(SEPARATOR, values);
    }
    if (option.longestName().equals(CONFIG_OPTION)) {
      return null;
    }
    Optional<ConfigFile> config = file(option.command());
    if (config.isEmpty()) {
      return null;
    }
    List<String> values = config.get().values().get(key(option));
    if (values == null) {
      return null;
    }
    String where = config.get().path() + ": " + key(option);
    if (values.size() != 1 && !option.isMultiValue()) {
      throw refused(option, where + ": expected one value, found a list");
    }
    for (String value : values) {
      check(option, value, where);
    }
    sources.put(option.longestName(), new Source.File(config.get().path()));
    return String.join(SEPARATOR, values);
  }

  /** The {@code --config} file (from the command line, else the environment), read once. */
  private Optional<ConfigFile> file(CommandSpec spec) {
    if (file != null) {
      return Optional.of(file);
    }
    Optional<Path> path = configPath(spec);
    if (path.isEmpty()) {
      return Optional.empty();
    }
    ConfigFile read;
    try {
      read = ConfigFile.read(path.get());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Set<String> known = new TreeSet<>();
    for (OptionSpec option : spec.options()) {
      if (configurable(option) && !option.longestName().equals(CONFIG_OPTION)) {
        known.add(key(option));
      }
    }
    for (String key : read.values().keySet()) {
      if (!known.contains(key)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            read.path()
                + ": unknown key '"
                + key
                + "' (keys are the flags of '"
                + spec.qualifiedName()
                + "' without their leading dashes; see --help)");
      }
    }
    file = read;
    return Optional.of(read);
  }

  private Optional<Path> configPath(CommandSpec spec) {
    OptionSpec option = spec.findOption(CONFIG_OPTION);
    if (option == null) {
      return Optional.empty();
    }
    Object given = option.getValue();
    if (given instanceof Optional<?> optional && optional.isPresent()) {
      return Optional.of(Path.of(optional.get().toString()));
    }
    if (given instanceof Path path) {
      return Optional.of(path);
    }
    String variable = environmentVariable(option);
    String fromEnvironment = environment.getOrDefault(variable, "").strip();
    return fromEnvironment.isEmpty() ? Optional.empty() : Optional.of(Path.of(fromEnvironment));
  }

  /** Refuses a value the option's type cannot take, naming where it came from. */
  private static void check(OptionSpec option, String value, String where) {
    Class<?> type =
        option.isMultiValue() || option.type() == Optional.class
            ? option.auxiliaryTypes()[0]
            : option.type();
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      boolean fits = WHOLE_NUMBER.matcher(value).matches();
      if (fits) {
        try {
          if (type == int.class || type == Integer.class) {
            Integer.parseInt(value);
          } else {
            Long.parseLong(value);
          }
        } catch (NumberFormatException e) {
          fits = false;
        }
      }
      if (!fits) {
        throw refused(option, where + ": '" + value + "' is not a whole number");
      }
    } else if (type == double.class || type == Double.class) {
      try {
        if (!Double.isFinite(Double.parseDouble(value))) {
          throw new NumberFormatException(value);
        }
      } catch (NumberFormatException e) {
        throw refused(option, where + ": '" + value + "' is not a number");
      }
    } else if (type == boolean.class || type == Boolean.class) {
      if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
        throw refused(option, where + ": '" + value + "' is not true or false");
      }
    }
  }

  private static CommandLine.ParameterException refused(OptionSpec option, String message) {
    return new CommandLine.ParameterException(option.command().commandLine(), message);
  }
}
