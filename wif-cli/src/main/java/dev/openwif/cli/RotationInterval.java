package dev.openwif.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code --signing-key-rotation}: {@code off}, a whole number of days, hours or minutes
 * ({@code 30d}, {@code 12h}, {@code 90m}) or an ISO-8601 duration ({@code P30D}). Stateless.
 */
final class RotationInterval {
  private static final Pattern SHORT = Pattern.compile("([0-9]{1,6})([dhm])");

  private RotationInterval() {}

  /**
   * The interval, or empty for {@code off}.
   *
   * @throws IllegalArgumentException naming the option and the accepted forms
   */
  static Optional<Duration> parse(String value) {
    String v = value.strip();
    if (v.equals("off")) {
      return Optional.empty();
    }
    Matcher m = SHORT.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return Optional.of(
          switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
          });
    }
    if (v.startsWith("P") || v.startsWith("p")) {
      try {
        return Optional.of(Duration.parse(v));
      } catch (DateTimeParseException e) {
        // falls through to the error below
      }
    }
    throw new IllegalArgumentException(
        "--signing-key-rotation must be 'off', a number of days, hours or minutes (30d, 12h,"
            + " 90m) or an ISO-8601 duration (P30D); was '"
            + value
            + "'");
  }
}
