package dev.openwif.federation.admin;

import dev.openwif.federation.AdminValidationException;
import dev.openwif.federation.FederationRule;
import dev.openwif.federation.Permissions;
import dev.openwif.federation.ScopeCatalogue;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The write-time rules for a federation rule that need no store: optional name and description
 * within length limits, at least one attribute matcher (a rule matching everything is refused),
 * matcher keys of 1..{@value #MAX_KEY} characters, at most {@value #MAX_MATCHERS} matchers, values
 * that are a {@link String}, {@link Boolean} or {@link BigDecimal}, and permissions whose scopes
 * are non-empty and all in the {@link ScopeCatalogue}. Whether the project and service account
 * exist and belong together is checked by {@link RuleAdmin}. Stateless, thread-safe.
 */
public final class RuleValidator {
  public static final int MAX_KEY = 256;
  public static final int MAX_MATCHERS = 50;
  public static final int MAX_VALUE = 1024;

  private RuleValidator() {}

  public static void check(FederationRule r) {
    r.name().ifPresent(n -> ProviderValidator.checkText("name", n, ProviderValidator.MAX_TEXT));
    r.description()
        .ifPresent(
            d ->
                ProviderValidator.checkLength("description", d, ProviderValidator.MAX_DESCRIPTION));
    checkMatchers(r.attributeMatchers());
    checkPermissions(r.permissions());
  }

  static void checkMatchers(Map<String, Object> matchers) {
    if (matchers.isEmpty()) {
      throw new AdminValidationException(
          "attribute_matchers", "A federation rule needs at least one attribute matcher.");
    }
    if (matchers.size() > MAX_MATCHERS) {
      throw new AdminValidationException(
          "attribute_matchers", "At most " + MAX_MATCHERS + " attribute matchers are allowed.");
    }
    for (var e : matchers.entrySet()) {
      String key = e.getKey();
      if (key.isEmpty() || key.length() > MAX_KEY) {
        throw new AdminValidationException(
            "attribute_matchers",
            "Attribute matcher keys must be 1 to " + MAX_KEY + " characters.");
      }
      ProviderValidator.checkNoControls("attribute_matchers", key, false);
      String param = "attribute_matchers." + key;
      switch (e.getValue()) {
        case String s when s.length() > MAX_VALUE ->
            throw new AdminValidationException(
                param, param + " must be at most " + MAX_VALUE + " characters.");
        case String s -> ProviderValidator.checkNoControls(param, s, false);
        case Boolean b -> {}
        case BigDecimal d -> {}
        case null, default ->
            throw new AdminValidationException(
                param, param + " must be a string, boolean or number.");
      }
    }
  }

  static void checkPermissions(Permissions permissions) {
    if (permissions instanceof Permissions.Restricted r) {
      if (r.scopes().isEmpty()) {
        throw new AdminValidationException(
            "permissions.scopes", "Restricted permissions need at least one scope.");
      }
      for (String scope : r.scopes()) {
        if (!ScopeCatalogue.contains(scope)) {
          throw new AdminValidationException(
              "permissions.scopes",
              "Unknown scope '"
                  + scope
                  + "'; known scopes: "
                  + String.join(", ", ScopeCatalogue.SCOPES.keySet())
                  + ".");
        }
      }
    }
  }
}
