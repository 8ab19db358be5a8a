package dev.openwif.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The settings a command runs with that are not defaults, each with where it came from (flag,
 * environment variable, file), for the start-up summary. Secrets are never shown: the value of an
 * option named like a secret ({@code …-key}, {@code …-password}, {@code …-secret}, {@code …-token})
 * is hidden, and so is a password inside a URL.
 */
final class EffectiveConfiguration {
  private static final Pattern SECRET_NAME = Pattern.compile(".*-(key|password|secret|token)$");
  private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/?@:]*):[^/?@]*@");
  private static final Pattern QUERY_PASSWORD = Pattern.compile("(?i)([?&][a-z]*password=)[^&]*");

  private EffectiveConfiguration() {}

  /** One line per option set by a flag, the environment or the file, sorted by name. */
  static List<String> lines(CommandSpec spec) {
    List<OptionSpec> set = new ArrayList<>();
    for (OptionSpec option : spec.options()) {
      if (ConfigSources.configurable(option)
          && !(ConfigSources.sourceOf(spec, option) instanceof ConfigSources.Source.Default)) {
        set.add(option);
      }
    }
    set.sort(Comparator.comparing(OptionSpec::longestName));
    List<String> lines = new ArrayList<>();
    String label = "  settings:      ";
    for (OptionSpec option : set) {
      lines.add(
          label
              + option.longestName()
              + (option.arity().max() == 0 ? "" : " " + shown(option))
              + " ("
              + ConfigSources.sourceOf(spec, option).describe()
              + ")");
      label = "                 ";
    }
    return lines;
  }

  private static String shown(OptionSpec option) {
    if (SECRET_NAME.matcher(option.longestName()).matches()) {
      return "***";
    }
    return redact(text(option.getValue()));
  }

  private static String text(Object value) {
    if (value instanceof Optional<?> optional) {
      return optional.map(EffectiveConfiguration::text).orElse("");
    }
    if (value instanceof Collection<?> values) {
      return values.stream().map(EffectiveConfiguration::text).collect(Collectors.joining(","));
    }
    return String.valueOf(value);
  }

  /** {@code value} without a URL's password. */
  static String redact(String value) {
    return QUERY_PASSWORD
        .matcher(URL_PASSWORD.matcher(value).replaceAll("$1:***@"))
        .replaceAll("$1***");
  }
}
