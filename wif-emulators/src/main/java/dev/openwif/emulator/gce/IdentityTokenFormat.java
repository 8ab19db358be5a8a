package dev.openwif.emulator.gce;

import java.util.Locale;
import java.util.Optional;

/** The {@code format} query parameter of the identity endpoint. */
public enum IdentityTokenFormat {
  /** {@code format=standard} (the default): no email, no instance claims. */
  STANDARD,
  /**
   * {@code format=full}: adds {@code email}, {@code email_verified} and {@code
   * google.compute_engine}.
   */
  FULL;

  /**
   * The format named by a query value, or empty when the value is neither {@code standard} nor
   * {@code full}.
   */
  public static Optional<IdentityTokenFormat> fromQueryValue(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "standard" -> Optional.of(STANDARD);
      case "full" -> Optional.of(FULL);
      default -> Optional.empty();
    };
  }
}
