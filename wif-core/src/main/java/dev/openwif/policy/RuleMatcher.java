package dev.openwif.policy;

import dev.openwif.federation.FederationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which federation rule admits a verified subject token (SECURITY.md, "Policy").
 *
 * <p>Candidates are the rules of the token's provider that are enabled and map to the requested
 * service account; a candidate matches when <em>all</em> of its attribute matchers hold (a rule
 * without matchers never matches — such rules are refused when saved, this is the fail-closed
 * backstop). The first matching candidate in the given order (creation order) wins.
 *
 * <p>A matcher key is either
 *
 * <ul>
 *   <li>{@code openai.<attribute>}: looked up only among the attributes the provider's
 *       transformations produced. A raw claim whose name starts with {@code openai.} never
 *       satisfies it, so a token cannot forge an attribute the administrator derives; or
 *   <li>a raw claim name, nested objects addressed with dots, where claim names may contain dots
 *       themselves ({@code kubernetes.io.namespace}); see {@link ClaimPath} for the longest-prefix
 *       rule.
 * </ul>
 *
 * Values compare by type and exact value, arrays by "any element", as {@link MatcherValue}
 * documents. Stateless and thread-safe.
 */
public final class RuleMatcher {
  static final String ATTRIBUTE_PREFIX = "openai.";

  /**
   * Finds the rule that grants the workload access to the service account, if any.
   *
   * @param rules the provider's rules in creation order (others are ignored)
   * @param providerId the provider that verified the token
   * @param serviceAccountId the service account the workload asked for
   * @param claims the verified token's claims (JSON values: String, Boolean, Number, List, Map)
   * @param attributes transformation results keyed {@code openai.<attribute>}
   */
  public MatchDecision match(
      List<FederationRule> rules,
      String providerId,
      String serviceAccountId,
      Map<String, ?> claims,
      Map<String, ?> attributes) {
    Objects.requireNonNull(claims, "claims");
    Objects.requireNonNull(attributes, "attributes");
    List<FederationRule> candidates = candidates(rules, providerId, serviceAccountId);
    if (candidates.isEmpty()) {
      return new MatchDecision.NoMatch(
          "no enabled rule of provider "
              + providerId
              + " maps to service account "
              + serviceAccountId);
    }
    List<String> failures = new ArrayList<>();
    for (FederationRule rule : candidates) {
      Optional<String> failure = firstFailure(rule, claims, attributes);
      if (failure.isEmpty()) {
        return new MatchDecision.Matched(rule);
      }
      failures.add("rule " + rule.id() + ": " + failure.get());
    }
    return new MatchDecision.NoMatch(String.join("; ", failures));
  }

  /**
   * The rules {@link #match} tries, in its order: those of {@code rules} that are enabled, belong
   * to the provider and map to the service account.
   */
  public List<FederationRule> candidates(
      List<FederationRule> rules, String providerId, String serviceAccountId) {
    return rules.stream()
        .filter(FederationRule::enabled)
        .filter(rule -> rule.providerId().equals(providerId))
        .filter(rule -> rule.serviceAccountId().equals(serviceAccountId))
        .toList();
  }

  /** One matcher row of a rule judged against a token: whether it held, and what was seen. */
  public record RowResult(String key, boolean held, String detail) {
    public RowResult {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * Every matcher row of {@code rule} judged against the token, in the rule's order, with the same
   * lookup and comparison as {@link #match} (which stops at a rule's first failing row). For
   * explaining a decision; it decides nothing.
   */
  public List<RowResult> explain(
      FederationRule rule, Map<String, ?> claims, Map<String, ?> attributes) {
    List<RowResult> rows = new ArrayList<>();
    for (Map.Entry<String, Object> matcher : rule.attributeMatchers().entrySet()) {
      String key = matcher.getKey();
      Object expected = matcher.getValue();
      Optional<Object> actual = lookUp(key, claims, attributes);
      if (actual.isEmpty()) {
        rows.add(
            new RowResult(
                key,
                false,
                "absent" + attributeHint(key) + ", expected " + MatcherValue.describe(expected)));
      } else if (MatcherValue.holds(expected, actual.get())) {
        rows.add(
            new RowResult(
                key, true, "was " + MatcherValue.describe(actual.get()) + ", as expected"));
      } else {
        rows.add(
            new RowResult(
                key,
                false,
                "was "
                    + MatcherValue.describe(actual.get())
                    + ", expected "
                    + MatcherValue.describe(expected)));
      }
    }
    return rows;
  }

  private static Optional<String> firstFailure(
      FederationRule rule, Map<String, ?> claims, Map<String, ?> attributes) {
    if (rule.attributeMatchers().isEmpty()) {
      return Optional.of("has no attribute matcher");
    }
    for (Map.Entry<String, Object> matcher : rule.attributeMatchers().entrySet()) {
      String key = matcher.getKey();
      Object expected = matcher.getValue();
      Optional<Object> actual = lookUp(key, claims, attributes);
      if (actual.isEmpty()) {
        return Optional.of(
            key
                + " was absent"
                + attributeHint(key)
                + ", expected "
                + MatcherValue.describe(expected));
      }
      if (!MatcherValue.holds(expected, actual.get())) {
        return Optional.of(
            key
                + " was "
                + MatcherValue.describe(actual.get())
                + ", expected "
                + MatcherValue.describe(expected));
      }
    }
    return Optional.empty();
  }

  private static Optional<Object> lookUp(
      String key, Map<String, ?> claims, Map<String, ?> attributes) {
    if (key.startsWith(ATTRIBUTE_PREFIX)) {
      return Optional.ofNullable(attributes.get(key));
    }
    return ClaimPath.resolve(claims, key);
  }

  private static String attributeHint(String key) {
    return key.startsWith(ATTRIBUTE_PREFIX) ? " (no transformation produced it)" : "";
  }
}
