package dev.openwif.store;

import java.math.BigDecimal;

/**
 * Encodes attribute-matcher values as a type tag and text so that their type survives storage: the
 * string {@code "1"}, the number {@code 1} and the boolean {@code true} stay distinct. Numbers keep
 * their exact {@link BigDecimal} value and scale ({@link BigDecimal#toString()} round-trips).
 */
final class MatcherValues {
  private MatcherValues() {}

  record Encoded(String type, String text) {}

  /**
   * @throws IllegalArgumentException for a value that is not a String, Boolean or BigDecimal
   */
  static Encoded encode(String attribute, Object value) {
    return switch (value) {
      case String s -> new Encoded("string", s);
      case Boolean b -> new Encoded("boolean", b.toString());
      case BigDecimal n -> new Encoded("number", n.toString());
      case null ->
          throw new IllegalArgumentException("matcher '" + attribute + "' has a null value");
      default ->
          throw new IllegalArgumentException(
              "matcher '"
                  + attribute
                  + "' has a value of unsupported type "
                  + value.getClass().getName()
                  + ": expected String, Boolean or BigDecimal");
    };
  }

  static Object decode(String type, String text) {
    return switch (type) {
      case "string" -> text;
      case "boolean" -> Boolean.valueOf(text);
      case "number" -> new BigDecimal(text);
      default ->
          throw new IllegalStateException("unknown matcher value_type in the database: " + type);
    };
  }
}
