package dev.openwif.exchange;

import dev.openwif.audit.ReasonCode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ExchangeExplainer} found: every check an exchange would make, in its order, and the
 * refusal the exchange would answer, if any.
 *
 * @param checks one line per check, in the exchange's order; after the deciding failure the checks
 *     the exchange would not reach are {@link Outcome#NOT_RUN}
 * @param refusal the check that decides a refusal, carrying the exchange's own reason code and
 *     detail; empty when the exchange would issue a token
 * @param ruleId the rule the exchange would issue under, when it would
 */
public record ExchangeExplanation(
    List<Check> checks, Optional<Check> refusal, Optional<String> ruleId) {
  public ExchangeExplanation {
    checks = List.copyOf(checks);
    Objects.requireNonNull(refusal, "refusal");
    Objects.requireNonNull(ruleId, "ruleId");
    if (refusal.isPresent() == ruleId.isPresent()) {
      throw new IllegalArgumentException("exactly one of refusal and ruleId");
    }
  }

  /** Whether an exchange of the token would issue an access token (rate limits aside). */
  public boolean wouldSucceed() {
    return refusal.isEmpty();
  }

  /** How one check ended. */
  public enum Outcome {
    PASSED,
    FAILED,
    /** Not reached: the exchange stops at its first deciding failure. */
    NOT_RUN;

    /** The outcome as written in JSON, for example {@code not_run}. */
    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One check.
   *
   * @param check what kind of check, stable for machines: {@code provider}, {@code structure},
   *     {@code header}, {@code key}, {@code signature}, {@code issuer}, {@code audience}, {@code
   *     claim_types}, {@code times}, {@code transformation}, {@code candidate_rule}, {@code
   *     matcher}, {@code rule}, {@code service_account}, {@code access_token_lifetime}, {@code
   *     replay}
   * @param subject what this line is about, for humans: the attribute, the rule, the matcher row
   *     (empty when the check is about the token as a whole)
   * @param reason the exchange's reason code, on the one failed check that decides a refusal; a
   *     failed matcher row of a rule or a failed candidate rule decides nothing alone
   */
  public record Check(
      String check, String subject, Outcome outcome, String detail, Optional<ReasonCode> reason) {
    public Check {
      Objects.requireNonNull(check, "check");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(reason, "reason");
      if (reason.isPresent() && outcome != Outcome.FAILED) {
        throw new IllegalArgumentException("only a failed check carries a reason");
      }
    }

    static Check passed(String check, String subject, String detail) {
      return new Check(check, subject, Outcome.PASSED, detail, Optional.empty());
    }

    static Check failed(String check, String subject, String detail) {
      return new Check(check, subject, Outcome.FAILED, detail, Optional.empty());
    }

    static Check refused(String check, ReasonCode reason, String detail) {
      return new Check(check, "", Outcome.FAILED, detail, Optional.of(reason));
    }

    static Check notRun(String check) {
      return new Check(
          check,
          "",
          Outcome.NOT_RUN,
          "not reached: the exchange stops at its first failure",
          Optional.empty());
    }
  }
}
