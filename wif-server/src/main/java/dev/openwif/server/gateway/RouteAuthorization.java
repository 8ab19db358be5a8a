package dev.openwif.server.gateway;

import dev.openwif.federation.Permissions;
import dev.openwif.federation.ScopeCatalogue;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a verified, unrevoked access token may call a route: the decision {@link BearerGuard}
 * takes after authentication, kept free of HTTP so every case is unit-tested.
 *
 * <ul>
 *   <li><b>A route with a scope</b> (in {@link RouteScopes}) is allowed when the scope is in the
 *       token <em>and</em> its rule grants it now. The rule's permissions are read from the current
 *       snapshot on every request, so narrowing a rule takes effect on tokens already issued; the
 *       token's own scopes are what the rule granted when it was minted, so widening a rule does
 *       not widen tokens issued before (they get the new scope at their next exchange).
 *   <li><b>A route without a scope</b> (deny by default) is allowed only when the rule grants the
 *       service account's default permissions now <em>and</em> the token carries every scope of the
 *       catalogue (what tokens of such a rule carry), so a restricted token stays restricted after
 *       its rule is widened.
 * </ul>
 *
 * A token minted before an upgrade that added scopes to the catalogue lacks them, and is refused
 * their routes (and the unmapped ones) until it expires and the workload exchanges again.
 * Stateless; thread-safe.
 */
final class RouteAuthorization {
  /** The outcome; the reasons are for the log and the error message, never contain the token. */
  sealed interface Verdict {
    /** The route may run. */
    record Allowed() implements Verdict {}

    /** The route needs {@code scope}, which the token lacks or its rule no longer grants. */
    record MissingScope(String scope, Gap gap) implements Verdict {}

    /** The route has no scope and the token is not one of an unrestricted rule. */
    record Unmapped(String reason) implements Verdict {}
  }

  /** Where the route's scope is missing. */
  enum Gap {
    /** The token does not carry the scope (its rule did not grant it when it was minted). */
    NOT_IN_TOKEN,
    /** The token carries it, but its rule has been narrowed since and no longer grants it. */
    NO_LONGER_GRANTED,
    /** The token's rule is no longer enabled (a revocation that raced this request). */
    RULE_GONE
  }

  private static final Verdict ALLOWED = new Verdict.Allowed();

  private RouteAuthorization() {}

  /**
   * @param routeScope the route's scope, empty when the table does not map the route
   * @param tokenScopes the scopes in the access token
   * @param ruleNow the token's rule's permissions in the current snapshot; empty when the rule is
   *     no longer enabled (refused)
   */
  static Verdict decide(
      Optional<String> routeScope, Set<String> tokenScopes, Optional<Permissions> ruleNow) {
    if (routeScope.isPresent()) {
      String scope = routeScope.get();
      if (!tokenScopes.contains(scope)) {
        return new Verdict.MissingScope(scope, Gap.NOT_IN_TOKEN);
      }
      if (ruleNow.isEmpty()) {
        return new Verdict.MissingScope(scope, Gap.RULE_GONE);
      }
      if (!ruleNow.get().grantedScopes().contains(scope)) {
        return new Verdict.MissingScope(scope, Gap.NO_LONGER_GRANTED);
      }
      return ALLOWED;
    }
    if (ruleNow.isEmpty()) {
      return new Verdict.Unmapped("the token's rule is no longer enabled");
    }
    if (!(ruleNow.get() instanceof Permissions.ServiceAccountDefault)) {
      return new Verdict.Unmapped("the token's rule is restricted");
    }
    if (!tokenScopes.containsAll(ScopeCatalogue.ALL)) {
      return new Verdict.Unmapped(
          "the token was minted with restricted scopes (or before the catalogue grew)");
    }
    return ALLOWED;
  }
}
