package dev.openwif.exchange;

import dev.openwif.directory.FederationDirectory;
import dev.openwif.directory.FederationSnapshot;
import dev.openwif.directory.ProviderState;
import dev.openwif.exchange.ExchangeExplanation.Check;
import dev.openwif.federation.FederationRule;
import dev.openwif.oidc.SubjectTokenVerifier;
import dev.openwif.oidc.VerifiedSubjectToken;
import dev.openwif.policy.RuleMatcher;
import dev.openwif.token.AccessTokenProfile;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Explains what {@link TokenExchange} would decide for a subject token, a provider and a service
 * account, without minting and without touching what an exchange changes (the replay memory, the
 * rate-limit budgets, the audit of exchanges): the same snapshot, the same step methods of {@link
 * TokenExchange}, the same {@link SubjectTokenVerifier} reporting each step through a {@link
 * dev.openwif.oidc.VerificationTrace}, the same {@link RuleMatcher}. So the check it reports failed
 * carries the reason code and detail the exchange would audit. The caller audits the use (the token
 * only as a hash). Thread-safe.
 */
public final class ExchangeExplainer {
  private static final List<String> AFTER_VERIFICATION =
      List.of("transformation", "rule", "service_account", "access_token_lifetime");

  private final FederationDirectory directory;
  private final SubjectTokenVerifier verifier;
  private final RuleMatcher matcher;
  private final Clock clock;
  private final AccessTokenProfile profile;

  public ExchangeExplainer(
      FederationDirectory directory,
      SubjectTokenVerifier verifier,
      RuleMatcher matcher,
      Clock clock,
      AccessTokenProfile profile) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.matcher = Objects.requireNonNull(matcher, "matcher");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.profile = Objects.requireNonNull(profile, "profile");
  }

  /**
   * Runs every check an exchange of {@code subjectToken} for {@code serviceAccountId} through
   * {@code providerId} would make, up to its first deciding failure. May wait for the issuer's keys
   * as long as an exchange would (the key source's short bound).
   */
  public ExchangeExplanation explain(
      String providerId, String serviceAccountId, String subjectToken) {
    List<Check> checks = new ArrayList<>();
    Steps steps = new Steps(checks);
    try {
      steps.at("configuration");
      FederationSnapshot snapshot = directory.snapshot();
      TokenExchange.refuseIfStale(directory);
      steps.at("provider");
      ProviderState.Active provider = TokenExchange.activeProvider(snapshot, providerId);
      checks.add(
          Check.passed(
              "provider",
              providerId,
              "enabled; issuer "
                  + provider.policy().issuer()
                  + ", audience "
                  + provider.policy().audience()));
      VerifiedSubjectToken token = verify(subjectToken, provider, steps);
      steps.at("transformation");
      Map<String, Object> attributes = TokenExchange.transform(provider, token);
      if (attributes.isEmpty()) {
        checks.add(Check.passed("transformation", "", "none configured"));
      }
      attributes.forEach(
          (name, value) -> checks.add(Check.passed("transformation", name, "= " + shown(value))));
      steps.at("rule");
      explainCandidates(snapshot, providerId, serviceAccountId, token, attributes, checks);
      FederationRule rule =
          TokenExchange.matchRule(matcher, snapshot, provider, serviceAccountId, token, attributes);
      checks.add(Check.passed("rule", rule.id(), "matched; the exchange issues under this rule"));
      steps.at("service_account");
      TokenExchange.serviceAccount(snapshot, rule);
      checks.add(
          Check.passed("service_account", rule.serviceAccountId(), "exists, project active"));
      steps.at("access_token_lifetime");
      Instant expiresAt = AccessTokenIssuance.checkLifetime(clock, profile, rule, token);
      checks.add(
          Check.passed(
              "access_token_lifetime",
              "",
              "the access token would expire at "
                  + expiresAt
                  + (rule.clampToSubjectTokenExpiry()
                      ? " (clamped to the subject token's exp)"
                      : "")));
      checks.add(replayLine(provider));
      return new ExchangeExplanation(checks, Optional.empty(), Optional.of(rule.id()));
    } catch (Refusal refusal) {
      Check refused =
          Check.refused(steps.current, refusal.rejected.reason(), shown(refusal.rejected.detail()));
      checks.add(refused);
      steps.notReached().forEach(check -> checks.add(Check.notRun(check)));
      return new ExchangeExplanation(checks, Optional.of(refused), Optional.empty());
    }
  }

  private VerifiedSubjectToken verify(
      String subjectToken, ProviderState.Active provider, Steps steps) {
    RecordingTrace trace = new RecordingTrace();
    // the wait the token endpoint grants before an exchange (TokenExchange#prepareIssuerKeys)
    verifier.prepareKeys(subjectToken, provider.policy(), provider.keys());
    try {
      VerifiedSubjectToken token =
          verifier.verify(subjectToken, provider.policy(), provider.keys(), trace);
      steps.checks.addAll(trace.passedChecks(provider.policy(), subjectToken, Optional.of(token)));
      return token;
    } catch (RuntimeException thrown) {
      steps.checks.addAll(trace.passedChecks(provider.policy(), subjectToken, Optional.empty()));
      steps.at(RecordingTrace.checkName(trace.firstNotPassed()));
      steps.verificationLeft = trace.notReachedAfterFailure();
      throw TokenExchange.verificationRefusal(thrown);
    }
  }

  /** Every candidate rule, each of its matcher rows judged, in the order the matcher tries them. */
  private void explainCandidates(
      FederationSnapshot snapshot,
      String providerId,
      String serviceAccountId,
      VerifiedSubjectToken token,
      Map<String, Object> attributes,
      List<Check> checks) {
    List<FederationRule> candidates =
        matcher.candidates(snapshot.enabledRulesOf(providerId), providerId, serviceAccountId);
    for (FederationRule rule : candidates) {
      String ruleName = rule.id();
      String named = rule.name().map(n -> " (name '" + shown(n) + "')").orElse("");
      List<RuleMatcher.RowResult> rows = matcher.explain(rule, token.claims(), attributes);
      boolean held = !rows.isEmpty() && rows.stream().allMatch(RuleMatcher.RowResult::held);
      checks.add(
          held
              ? Check.passed("candidate_rule", ruleName, "every matcher held" + named)
              : Check.failed(
                  "candidate_rule",
                  ruleName,
                  rows.isEmpty()
                      ? "has no attribute matcher"
                      : rows.stream().filter(r -> !r.held()).count()
                          + " of "
                          + rows.size()
                          + " matchers did not hold"
                          + named));
      for (RuleMatcher.RowResult row : rows) {
        String subject = rule.id() + " " + row.key();
        checks.add(
            row.held()
                ? Check.passed("matcher", subject, shown(row.detail()))
                : Check.failed("matcher", subject, shown(row.detail())));
      }
    }
  }

  private static Check replayLine(ProviderState.Active provider) {
    return provider.provider().replayProtection()
        ? new Check(
            "replay",
            "",
            ExchangeExplanation.Outcome.NOT_RUN,
            "the provider admits each subject token once; explain does not use the token up,"
                + " and does not know whether an exchange already did",
            Optional.empty())
        : Check.passed("replay", "", "the provider does not require single use");
  }

  /** A value for a detail line: control characters replaced, long values cut. */
  static String shown(Object value) {
    String text = value instanceof String s ? s : String.valueOf(value);
    String cut = text.length() <= 300 ? text : text.substring(0, 300) + "...";
    StringBuilder out = new StringBuilder(cut.length());
    cut.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return out.toString();
  }

  /** Which check the explanation is at, and what follows it, for the line a refusal ends. */
  private static final class Steps {
    final List<Check> checks;
    String current = "configuration";
    List<String> verificationLeft = List.of();

    Steps(List<Check> checks) {
      this.checks = checks;
    }

    void at(String check) {
      current = check;
    }

    List<String> notReached() {
      List<String> left = new ArrayList<>(verificationLeft);
      int at = AFTER_VERIFICATION.indexOf(current);
      if (at >= 0) {
        left.addAll(AFTER_VERIFICATION.subList(at + 1, AFTER_VERIFICATION.size()));
      } else if (!verificationLeft.isEmpty()) {
        left.addAll(AFTER_VERIFICATION);
      }
      return left;
    }
  }
}
