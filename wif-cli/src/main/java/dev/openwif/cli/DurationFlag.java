package dev.openwif.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration given on the command line: a whole number followed by one unit, {@code s}, {@code m}
 * or {@code h} ({@code 90s}, {@code 5m}, {@code 2h}). Nothing else is accepted (no bare number, no
 * fraction, no sign, no spaces), so a typo is an error, never a surprising value.
 */
final class DurationFlag {
  private static final Pattern FORM = Pattern.compile("([0-9]{1,9})([smh])");

  private DurationFlag() {}

  /**
   * The duration {@code text} names.
   *
   * @throws IllegalArgumentException naming {@code flag} and the accepted form
   */
  static Duration parse(String flag, String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          flag
              + ": '"
              + (text.length() <= 40 ? text : text.substring(0, 40) + "...")
              + "' is not a duration; write a whole number followed by s, m or h (for example"
              + " 300s, 5m)");
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }
}
