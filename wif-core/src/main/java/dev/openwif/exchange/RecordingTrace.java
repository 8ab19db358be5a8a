package dev.openwif.exchange;

import dev.openwif.exchange.ExchangeExplanation.Check;
import dev.openwif.oidc.SubjectTokenVerifier;
import dev.openwif.oidc.VerificationPolicy;
import dev.openwif.oidc.VerificationStep;
import dev.openwif.oidc.VerificationTrace;
import dev.openwif.oidc.VerifiedSubjectToken;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@link VerificationTrace} of {@link ExchangeExplainer}: remembers the decoded token and the
 * steps that passed, then writes one line per passed step. The verifier decides; this only words
 * what it decided (a detail sentence from the claims it saw). Used by one thread.
 */
final class RecordingTrace implements VerificationTrace {
  private final Set<VerificationStep> passed = EnumSet.noneOf(VerificationStep.class);
  private Map<String, Object> header = Map.of();
  private Map<String, Object> payload = Map.of();

  @Override
  public void decoded(Map<String, Object> header, Map<String, Object> payload) {
    this.header = SubjectTokenVerifier.withoutJsonNulls(header);
    this.payload = SubjectTokenVerifier.withoutJsonNulls(payload);
  }

  @Override
  public void passed(VerificationStep step) {
    passed.add(step);
  }

  /**
   * The first step that did not pass: the one that failed when the verifier threw (the verifier's
   * checks run in {@link VerificationStep}'s order and stop at the first failure).
   */
  VerificationStep firstNotPassed() {
    for (VerificationStep step : VerificationStep.values()) {
      if (!passed.contains(step)) {
        return step;
      }
    }
    // every step passed and the verifier still threw (it never does after its last check): the
    // failure is charged to that last check rather than answered as a server fault
    return VerificationStep.TIMES;
  }

  /** The check names of the steps after the one that failed. */
  List<String> notReachedAfterFailure() {
    VerificationStep failed = firstNotPassed();
    List<String> left = new ArrayList<>();
    boolean after = false;
    for (VerificationStep step : VerificationStep.values()) {
      if (after) {
        left.add(checkName(step));
      }
      after |= step == failed;
    }
    return left;
  }

  /** A step's name in an explanation, for example {@code claim_types}. */
  static String checkName(VerificationStep step) {
    return step.name().toLowerCase(Locale.ROOT);
  }

  /** One passed line per step that passed, in the verifier's order. */
  List<Check> passedChecks(
      VerificationPolicy policy, String subjectToken, Optional<VerifiedSubjectToken> verified) {
    List<Check> lines = new ArrayList<>();
    for (VerificationStep step : VerificationStep.values()) {
      if (passed.contains(step)) {
        lines.add(Check.passed(checkName(step), "", detail(step, policy, subjectToken, verified)));
      }
    }
    return lines;
  }

  private String detail(
      VerificationStep step,
      VerificationPolicy policy,
      String subjectToken,
      Optional<VerifiedSubjectToken> verified) {
    return switch (step) {
      case STRUCTURE ->
          "compact JWS, "
              + subjectToken.getBytes(StandardCharsets.UTF_8).length
              + " bytes (limit "
              + policy.maxTokenBytes()
              + ")";
      case HEADER -> "alg " + shown(header.get("alg")) + ", kid " + shown(header.get("kid"));
      case KEY -> "kid " + shown(header.get("kid")) + " is in the issuer's keys and fits the alg";
      case SIGNATURE ->
          "verified with " + shown(header.get("alg")) + " and kid " + shown(header.get("kid"));
      case ISSUER -> "iss " + shown(payload.get("iss")) + ", as the provider expects";
      case AUDIENCE ->
          "aud " + shown(payload.get("aud")) + " contains " + policy.audience() + ", as expected";
      case CLAIM_TYPES ->
          "sub, jti, azp, email strings and email_verified a boolean, where present";
      case TIMES ->
          verified
              .map(
                  token ->
                      "iat "
                          + token.issuedAt()
                          + ", exp "
                          + token.expiresAt()
                          + " (leeway "
                          + seconds(policy.leeway())
                          + ", lifetime at most "
                          + seconds(policy.maxLifetime())
                          + ")")
              .orElse("within bounds");
    };
  }

  private static String shown(@Nullable Object value) {
    return ExchangeExplainer.shown(value == null ? "(absent)" : value);
  }

  private static String seconds(Duration duration) {
    return duration.toSeconds() + " s";
  }
}
