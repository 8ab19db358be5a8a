package dev.openwif.policy;

import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Resolves a dotted matcher key such as {@code kubernetes.io.namespace} against a token's claims.
 *
 * <p>Claim names may themselves contain dots (Kubernetes puts everything under a claim literally
 * named {@code kubernetes.io}), so splitting on every dot would be wrong. The rule: at each level,
 * the <em>longest</em> prefix of the remaining key (ending at a dot, or the whole remaining key)
 * that names a member of the current object is taken; if key text remains, that member must be a
 * JSON object and resolution continues inside it with the rest. There is no backtracking to shorter
 * prefixes, so a key resolves to at most one value and the outcome never depends on which
 * alternative happens to match.
 *
 * <p>Examples over {@code {"kubernetes.io": {"namespace": "prod"}, "sub": "x"}}: {@code sub} gives
 * {@code "x"}; {@code kubernetes.io.namespace} gives {@code "prod"}; {@code kubernetes.io.pod} is
 * absent. Stateless and thread-safe.
 */
final class ClaimPath {
  private ClaimPath() {}

  static Optional<Object> resolve(Map<String, ?> claims, String key) {
    Map<String, ?> current = claims;
    String remaining = key;
    while (true) {
      String prefix = longestPresentPrefix(current, remaining);
      if (prefix == null) {
        return Optional.empty();
      }
      Object value = current.get(prefix);
      if (prefix.length() == remaining.length()) {
        return Optional.ofNullable(value);
      }
      if (!(value instanceof Map<?, ?> nested)) {
        return Optional.empty();
      }
      @SuppressWarnings("unchecked")
      Map<String, ?> next = (Map<String, ?>) nested;
      current = next;
      remaining = remaining.substring(prefix.length() + 1);
    }
  }

  /**
   * The longest prefix of {@code key} ending at a dot (or the whole key) present in {@code map}, or
   * null.
   */
  private static @Nullable String longestPresentPrefix(Map<String, ?> map, String key) {
    if (map.containsKey(key)) {
      return key;
    }
    for (int dot = key.lastIndexOf('.'); dot > 0; dot = key.lastIndexOf('.', dot - 1)) {
      String prefix = key.substring(0, dot);
      if (map.containsKey(prefix)) {
        return prefix;
      }
    }
    return null;
  }
}
