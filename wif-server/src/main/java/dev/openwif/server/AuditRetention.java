package dev.openwif.server;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long audit events are kept ({@code --audit-retention}): a whole number of days ({@code 90d})
 * or hours ({@code 36h}), at least one hour and at most 36,500 days, or {@code forever} to never
 * delete. The default is 90 days. {@code 0} is refused rather than read as either "delete
 * everything" or "keep forever": {@code forever} says the latter unambiguously.
 *
 * @param keep how long an event is kept; empty for {@code forever}
 */
public record AuditRetention(Optional<Duration> keep) {
  public static final Duration DEFAULT = Duration.ofDays(90);
  static final Duration MIN = Duration.ofHours(1);
  static final Duration MAX = Duration.ofDays(36_500);

  private static final Pattern AMOUNT = Pattern.compile("([0-9]{1,9})([dh])");

  public AuditRetention {
    Objects.requireNonNull(keep, "keep");
    keep.ifPresent(
        k -> {
          if (k.compareTo(MIN) < 0 || k.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(
                "audit retention must be between 1 hour and 36500 days: " + k);
          }
        });
  }

  /** 90 days. */
  public static AuditRetention defaults() {
    return new AuditRetention(Optional.of(DEFAULT));
  }

  /** Never delete audit events. */
  public static AuditRetention forever() {
    return new AuditRetention(Optional.empty());
  }

  /**
   * Parses {@code --audit-retention}: {@code <days>d}, {@code <hours>h} or {@code forever}.
   *
   * @throws IllegalArgumentException naming the flag and what is accepted
   */
  public static AuditRetention parse(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    if (v.equals("forever")) {
      return forever();
    }
    Matcher m = AMOUNT.matcher(v);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "--audit-retention must be a number of days or hours such as 90d or 36h, or 'forever';"
              + " got '"
              + value
              + "'");
    }
    long amount = Long.parseLong(m.group(1));
    Duration keep = m.group(2).equals("d") ? Duration.ofDays(amount) : Duration.ofHours(amount);
    if (keep.compareTo(MIN) < 0 || keep.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(
          "--audit-retention must be between 1h and 36500d (use 'forever' to keep every event);"
              + " got '"
              + value
              + "'");
    }
    return new AuditRetention(Optional.of(keep));
  }

  @Override
  public String toString() {
    return keep.map(k -> k.toHours() % 24 == 0 ? k.toDays() + "d" : k.toHours() + "h")
        .orElse("forever");
  }
}
