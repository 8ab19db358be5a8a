package dev.openwif.policy;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Optional;

/**
 * Compares a claim or attribute value with a matcher's expected value, by type and exact value.
 *
 * <ul>
 *   <li>A string matches only an equal string: no case folding, no Unicode normalisation, no
 *       trimming.
 *   <li>A boolean matches only the same boolean ({@code "true"} the string never matches {@code
 *       true}).
 *   <li>A number matches a numerically equal number, compared as {@link BigDecimal} ({@code 1},
 *       {@code 1.0} and {@code 1e0} are equal); a string of digits never matches a number.
 *   <li>When the actual value is a JSON array, the matcher holds if <em>any</em> element matches by
 *       the rules above (e.g. {@code groups: ["dev", "ops"]} satisfies {@code groups = "ops"});
 *       nested arrays and objects never match.
 * </ul>
 *
 * Stateless and thread-safe.
 */
final class MatcherValue {
  private static final int MAX_SHOWN = 80;

  private MatcherValue() {}

  static boolean holds(Object expected, Object actual) {
    if (actual instanceof Collection<?> elements) {
      return elements.stream().anyMatch(element -> scalarEquals(expected, element));
    }
    return scalarEquals(expected, actual);
  }

  private static boolean scalarEquals(Object expected, Object actual) {
    return switch (expected) {
      case String s -> actual instanceof String a && s.equals(a);
      case Boolean b -> actual instanceof Boolean a && b.equals(a);
      case Number n -> actual instanceof Number a && numericallyEqual(n, a);
      default -> false;
    };
  }

  private static boolean numericallyEqual(Number expected, Number actual) {
    Optional<BigDecimal> e = decimal(expected);
    Optional<BigDecimal> a = decimal(actual);
    return e.isPresent() && a.isPresent() && e.get().compareTo(a.get()) == 0;
  }

  private static Optional<BigDecimal> decimal(Number n) {
    return switch (n) {
      case BigDecimal d -> Optional.of(d);
      case Double d when d.isNaN() || d.isInfinite() -> Optional.empty();
      case Float f when f.isNaN() || f.isInfinite() -> Optional.empty();
      case Double d -> Optional.of(BigDecimal.valueOf(d));
      case Float f -> Optional.of(new BigDecimal(f.toString()));
      default -> {
        try {
          yield Optional.of(new BigDecimal(n.toString()));
        } catch (NumberFormatException notDecimal) {
          yield Optional.empty();
        }
      }
    };
  }

  /**
   * A short rendering for refusal details: strings quoted and cut, other values with their JSON
   * type.
   */
  static String describe(Object value) {
    return switch (value) {
      case String s -> "'" + cut(s) + "'";
      case Boolean b -> b + " (boolean)";
      case Number n -> cut(n.toString()) + " (number)";
      case Collection<?> c -> cut(c.toString()) + " (array)";
      case java.util.Map<?, ?> m -> "an object";
      default -> "a value of type " + value.getClass().getSimpleName();
    };
  }

  private static String cut(String text) {
    return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
  }
}
