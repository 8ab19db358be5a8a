package dev.openwif.federation.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Warnings for a federation rule that is valid but matches more workloads than its author likely
 * meant, given when the rule is saved (the save still succeeds; {@link RuleValidator} refuses what
 * is invalid). A rule should name one workload: a claim unique to it ({@code sub}, or a verified
 * {@code email}), not only what every token of the issuer for this audience carries ({@code iss},
 * {@code aud}). Stateless, thread-safe.
 */
public final class RuleLint {
  /** Claims that name one workload or identity at their issuer. */
  static final Set<String> UNIQUE_CLAIMS =
      Set.of(
          "sub",
          "email",
          "oid",
          "appid",
          "azp",
          "client_id",
          "google.compute_engine.instance_id",
          "kubernetes.io.serviceaccount.uid",
          "kubernetes.io.serviceaccount.name");

  /** Claims every token the provider accepts shares: matching only them admits the whole issuer. */
  static final Set<String> PROVIDER_WIDE_CLAIMS = Set.of("iss", "aud");

  private RuleLint() {}

  /** One warning: a stable code for machines and a sentence for people. */
  public record Warning(String code, String message) {
    public Warning {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }

  /** The warnings for a rule with these attribute matchers, in a fixed order; empty when none. */
  public static List<Warning> check(Map<String, Object> attributeMatchers) {
    List<Warning> warnings = new ArrayList<>();
    if (!attributeMatchers.isEmpty()
        && PROVIDER_WIDE_CLAIMS.containsAll(attributeMatchers.keySet())) {
      warnings.add(
          new Warning(
              "matches_whole_issuer",
              "The rule matches only "
                  + String.join(" and ", attributeMatchers.keySet().stream().sorted().toList())
                  + ", which every token the provider accepts carries: any workload of the issuer"
                  + " gets this service account. Match sub (or another claim unique to the"
                  + " workload) as well."));
    } else if (attributeMatchers.keySet().stream().noneMatch(UNIQUE_CLAIMS::contains)) {
      warnings.add(
          new Warning(
              "no_unique_claim",
              "The rule matches no claim unique to one workload (sub, email, oid, azp, client_id,"
                  + " kubernetes.io.serviceaccount.name...): every workload whose token carries "
                  + String.join(", ", attributeMatchers.keySet().stream().sorted().toList())
                  + " with these values gets this service account. Match sub as well if that"
                  + " is not intended."));
    }
    if (attributeMatchers.containsKey("email")
        && !Boolean.TRUE.equals(attributeMatchers.get("email_verified"))) {
      warnings.add(
          new Warning(
              "email_not_verified",
              "The rule matches email without email_verified = true: some issuers let a user"
                  + " set an unverified address. Add the matcher email_verified: true."));
    }
    return List.copyOf(warnings);
  }
}
