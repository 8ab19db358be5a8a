package dev.openwif.attribute;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Converts between JSON claim values and CEL's Java value model. Claims arrive as Nimbus or Jackson
 * produced them; CEL wants {@code Long} for integers, {@code Double} for other numbers, and plain
 * lists and maps. Results leave as {@link String}, {@link Boolean}, {@link BigDecimal} (every
 * number, so they compare by value with a matcher's number) or an immutable {@code List<String>}.
 * Stateless.
 */
final class ClaimValues {
  private ClaimValues() {}

  /** A deep copy of {@code claims} in CEL's value model. */
  static Map<String, Object> toCel(Map<String, ?> claims) {
    Map<String, Object> out = new LinkedHashMap<>();
    claims.forEach((k, v) -> out.put(k, valueToCel(v)));
    return out;
  }

  private static Object valueToCel(Object value) {
    return switch (value) {
      case null -> dev.cel.common.values.NullValue.NULL_VALUE;
      case String s -> s;
      case Boolean b -> b;
      case Long l -> l;
      case Integer i -> i.longValue();
      case Short s -> s.longValue();
      case Byte b -> b.longValue();
      case BigDecimal d -> integralOrDouble(d);
      case java.math.BigInteger i -> integralOrDouble(new BigDecimal(i));
      case Number n -> n.doubleValue();
      // Nimbus represents exp, iat and nbf as dates; on the wire they are NumericDate seconds (RFC
      // 7519 §2).
      case Date d -> d.toInstant().getEpochSecond();
      case Map<?, ?> m -> {
        Map<String, Object> copy = new LinkedHashMap<>();
        m.forEach((k, v) -> copy.put(String.valueOf(k), valueToCel(v)));
        yield copy;
      }
      case List<?> l -> {
        List<Object> copy = new ArrayList<>(l.size());
        l.forEach(v -> copy.add(valueToCel(v)));
        yield copy;
      }
      default -> value.toString();
    };
  }

  private static Object integralOrDouble(BigDecimal d) {
    try {
      return d.longValueExact();
    } catch (ArithmeticException notAnExactLong) {
      return d.doubleValue();
    }
  }

  /** The result as an attribute value, or empty when its type is not allowed. */
  static Optional<Object> fromCel(Object result) {
    return switch (result) {
      case String s -> Optional.of(s);
      case Boolean b -> Optional.of(b);
      case Long l -> Optional.of(BigDecimal.valueOf(l));
      case Double d when Double.isFinite(d) -> Optional.of(new BigDecimal(Double.toString(d)));
      case Number n when !(n instanceof Double) ->
          Optional.of(new BigDecimal(n.toString())); // CEL uint
      case List<?> l when l.stream().allMatch(String.class::isInstance) ->
          Optional.of(Collections.unmodifiableList(new ArrayList<>(l)));
      case null, default -> Optional.empty();
    };
  }

  /** A short type name for error details (never the value). */
  static String typeName(Object result) {
    return switch (result) {
      case null -> "null";
      case dev.cel.common.values.NullValue n -> "null";
      case Map<?, ?> m -> "map";
      case List<?> l -> "list (only lists of strings are allowed)";
      case Double d -> "non-finite double";
      default -> result.getClass().getSimpleName();
    };
  }
}
