package dev.openwif.exchange;

import dev.openwif.attribute.TransformationFailedException;
import dev.openwif.audit.AuditSink;
import dev.openwif.audit.ReasonCode;
import dev.openwif.directory.FederationDirectory;
import dev.openwif.directory.FederationSnapshot;
import dev.openwif.directory.ProviderState;
import dev.openwif.federation.FederationRule;
import dev.openwif.federation.IdGenerator;
import dev.openwif.federation.ReplayMemory;
import dev.openwif.federation.ServiceAccount;
import dev.openwif.oidc.IssuerUnavailableException;
import dev.openwif.oidc.SubjectTokenVerifier;
import dev.openwif.oidc.TokenRejectedException;
import dev.openwif.oidc.VerifiedSubjectToken;
import dev.openwif.policy.MatchDecision;
import dev.openwif.policy.RuleMatcher;
import dev.openwif.token.AccessTokenMinter;
import dev.openwif.token.AccessTokenProfile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The token exchange (RFC 8693 §2): trades a workload's OIDC token for a short-lived access token,
 * as named steps — check the request, find the provider, verify the subject token, derive
 * attributes, match a rule, find the service account, mint. Every attempt ends in exactly one audit
 * event ({@link ExchangeAuditRecorder}), success or the precise reason it was refused; the client
 * only ever sees a generic description. Configuration comes from the {@link FederationDirectory}
 * alone: no database read on this path. Requests refused before this runs are audited by {@link
 * EarlyRefusals}. Thread-safe.
 */
public final class TokenExchange {
  private final FederationDirectory directory;
  private final SubjectTokenVerifier verifier;
  private final RuleMatcher matcher;
  private final ExchangeAuditRecorder recorder;
  private final AccessTokenIssuance issuance;
  private final ReplayMemory replayMemory;
  private final VerificationBudget budget;

  /** An exchange without a per-provider budget ({@link VerificationBudget#UNLIMITED}). */
  public TokenExchange(
      FederationDirectory directory,
      SubjectTokenVerifier verifier,
      RuleMatcher matcher,
      AccessTokenMinter minter,
      AuditSink audit,
      IdGenerator ids,
      Clock clock,
      AccessTokenProfile profile) {
    this(
        directory,
        verifier,
        matcher,
        minter,
        audit,
        ids,
        clock,
        profile,
        VerificationBudget.UNLIMITED);
  }

  /** An exchange whose replay protection uses this server's memory ({@link ReplayGuard}). */
  public TokenExchange(
      FederationDirectory directory,
      SubjectTokenVerifier verifier,
      RuleMatcher matcher,
      AccessTokenMinter minter,
      AuditSink audit,
      IdGenerator ids,
      Clock clock,
      AccessTokenProfile profile,
      VerificationBudget budget) {
    this(
        directory,
        verifier,
        matcher,
        minter,
        audit,
        ids,
        clock,
        profile,
        budget,
        ReplayGuard.inMemory(clock));
  }

  /**
   * @param budget charged once the subject token is judged (see {@link VerificationBudget}): a
   *     token about to be exchanged (verified, a rule matched, its service account usable, not
   *     replayed) to the provider's budget, one refused for its own content, whether its signature
   *     failed or it failed a policy check after verification, to the budget of failures
   * @param replayMemory where providers with replay protection remember the tokens they admitted:
   *     this server's memory, or one shared by every node on the database; asked only for those
   *     providers (one round trip per exchange for a shared one), never for the others
   */
  public TokenExchange(
      FederationDirectory directory,
      SubjectTokenVerifier verifier,
      RuleMatcher matcher,
      AccessTokenMinter minter,
      AuditSink audit,
      IdGenerator ids,
      Clock clock,
      AccessTokenProfile profile,
      VerificationBudget budget,
      ReplayMemory replayMemory) {
    this.budget = Objects.requireNonNull(budget, "budget");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.matcher = Objects.requireNonNull(matcher, "matcher");
    this.recorder = new ExchangeAuditRecorder(audit, ids, clock);
    this.issuance = new AccessTokenIssuance(minter, ids, clock, profile);
    this.replayMemory = Objects.requireNonNull(replayMemory, "replayMemory");
  }

  /**
   * Decides one exchange and records exactly one audit event for it. A bad request or token is
   * never an exception but a {@link ExchangeOutcome.Rejected}; a server fault (the signer failing)
   * is audited as {@code internal_error} and thrown as an {@link ExchangeFault}.
   */
  public ExchangeOutcome exchange(ExchangeRequest request) {
    AttemptTrail attempt = AttemptTrail.of(request);
    UseOnce use = new UseOnce();
    ExchangeOutcome outcome;
    try {
      outcome = decide(request, attempt, use);
    } catch (Refusal refusal) {
      use.giveBack();
      outcome = refusal.rejected;
    } catch (RuntimeException fault) {
      // A server fault (the signer or the directory failing): audited as one, then the caller
      // answers 500.
      use.giveBack();
      ExchangeOutcome.Rejected audited = Refusal.serverFault(fault);
      recorder.record(attempt, audited);
      throw new ExchangeFault(audited, fault);
    }
    try {
      recorder.record(attempt, outcome);
    } catch (RuntimeException unaudited) {
      // Fail closed: the caller issues nothing (503 when the audit queue is full), so the subject
      // token is not used up either and the client's retry is not refused as a replay.
      use.giveBack();
      throw unaudited;
    }
    return outcome;
  }

  /**
   * Before the exchange takes an admission slot: lets the provider's key source fetch what this
   * subject token will need and waits for it at most the source's short bound (2 s by default), so
   * that {@link #exchange} never waits on an issuer while it holds a slot. Does nothing for an
   * unknown or inactive provider or uploaded keys; never throws for the request's content and
   * audits nothing (the exchange that follows does).
   */
  public void prepareIssuerKeys(ExchangeRequest request) {
    Optional<ProviderState> state = directory.snapshot().provider(request.identityProviderId());
    if (state.isPresent() && state.get() instanceof ProviderState.Active active) {
      verifier.prepareKeys(request.subjectToken(), active.policy(), active.keys());
    }
  }

  private ExchangeOutcome decide(ExchangeRequest request, AttemptTrail attempt, UseOnce use) {
    checkRequestShape(request);
    FederationSnapshot snapshot = directory.snapshot();
    forgetDeletedProviders(snapshot);
    refuseIfStale(directory);
    ProviderState.Active provider = activeProvider(snapshot, request.identityProviderId());
    VerifiedSubjectToken token = verify(request, provider);
    attempt.externalSubject(token.subject());
    FederationRule rule;
    ServiceAccount account;
    try {
      Map<String, Object> attributes = transform(provider, token);
      rule = matchRule(matcher, snapshot, provider, request.serviceAccountId(), token, attributes);
      attempt.rule(rule.id());
      account = serviceAccount(snapshot, rule);
      issuance.checkLifetime(rule, token);
      useOnceIfRequired(provider, request.subjectToken(), token, use);
    } catch (Refusal policy) {
      chargeFailureUnlessOverloaded(provider, request, policy);
      throw policy;
    }
    chargeProvider(provider.provider().id());
    return issuance.issue(request, provider, rule, account, token);
  }

  /**
   * A token that verified but failed a policy check (no rule, transformation, service account,
   * replay) spends the provider's budget of failures like a forged one: anyone can get validly
   * signed tokens from a public issuer, and they must not use up the genuine workloads' budget. A
   * full replay memory is the server's state, not the token's fault: charged to neither.
   */
  private void chargeFailureUnlessOverloaded(
      ProviderState.Active provider, ExchangeRequest request, Refusal policy) {
    if (policy.rejected.reason() != ReasonCode.OVERLOADED) {
      budget.failed(provider.provider().id(), request.clientAddress());
    }
  }

  /**
   * Drops the replay memories of providers deleted from the federation, once per new snapshot (the
   * first exchange that sees it does the work).
   */
  private void forgetDeletedProviders(FederationSnapshot snapshot) {
    FederationSnapshot pruned = prunedFor.get();
    // compareAndSet compares identity: a new snapshot is a new object, even when equal
    if (!prunedFor.compareAndSet(snapshot, snapshot) && prunedFor.compareAndSet(pruned, snapshot)) {
      replayMemory.retainProviders(id -> snapshot.provider(id).isPresent());
    }
  }

  private static void checkRequestShape(ExchangeRequest request) {
    if (!request.grantType().equals(ExchangeRequest.TOKEN_EXCHANGE_GRANT)) {
      throw new Refusal(Refusal.unsupportedGrant(request.grantType()));
    }
    String type = request.subjectTokenType();
    if (!type.equals(ExchangeRequest.JWT_TOKEN_TYPE)
        && !type.equals(ExchangeRequest.ID_TOKEN_TYPE)) {
      throw Refusal.of(
          OAuthError.INVALID_REQUEST,
          ReasonCode.UNSUPPORTED_SUBJECT_TOKEN_TYPE,
          "subject_token_type must be urn:ietf:params:oauth:token-type:jwt or ...:id_token.",
          "subject_token_type was '" + Refusal.shown(type) + "'");
    }
  }

  /**
   * A snapshot past its maximum age is not honoured: the database could not be read for too long,
   * so a provider or rule disabled since may still be in it (fail closed, 503).
   */
  static void refuseIfStale(FederationDirectory directory) {
    directory
        .staleness()
        .ifPresent(
            why -> {
              throw Refusal.unavailable(
                  ReasonCode.SNAPSHOT_STALE,
                  "The server cannot read its configuration; retry later.",
                  why,
                  ISSUER_RETRY_AFTER);
            });
  }

  /** The replay memory, for tests in this package. */
  ReplayMemory replayMemory() {
    return replayMemory;
  }

  static ProviderState.Active activeProvider(FederationSnapshot snapshot, String providerId) {
    ProviderState state =
        snapshot
            .provider(providerId)
            .orElseThrow(
                () ->
                    Refusal.invalidTarget(
                        ReasonCode.PROVIDER_UNKNOWN,
                        "no provider with id '" + Refusal.shown(providerId) + "'"));
    return switch (state) {
      case ProviderState.Active active -> active;
      case ProviderState.Disabled disabled ->
          throw Refusal.invalidTarget(
              ReasonCode.PROVIDER_DISABLED, "provider " + providerId + " is disabled");
      case ProviderState.Misconfigured broken ->
          throw Refusal.invalidGrant(
              ReasonCode.TRANSFORMATION_FAILED,
              "provider " + providerId + " is misconfigured: " + broken.problem());
    };
  }

  /**
   * Verifies the subject token. A token refused by the checks (or one the verifier fails on) is
   * charged to the provider's budget of failures; an unavailable issuer is charged to neither
   * budget (not the client's doing).
   */
  private VerifiedSubjectToken verify(ExchangeRequest request, ProviderState.Active provider) {
    try {
      return verifier.verify(request.subjectToken(), provider.policy(), provider.keys());
    } catch (IssuerUnavailableException e) {
      throw verificationRefusal(e);
    } catch (RuntimeException e) {
      budget.failed(provider.provider().id(), request.clientAddress());
      throw verificationRefusal(e);
    }
  }

  /**
   * The refusal for what the verifier threw: its own reason for a rejected token; 503 for an
   * unavailable issuer. Anything else is defence in depth: the verifier parses attacker-controlled
   * bytes; should it ever fail unexpectedly, the token is refused (fail closed) and the failure
   * audited, rather than answering 500.
   */
  static Refusal verificationRefusal(RuntimeException thrown) {
    return switch (thrown) {
      case TokenRejectedException e -> Refusal.invalidGrant(e.reason(), e.detail());
      case IssuerUnavailableException e ->
          Refusal.unavailable(
              e.reason(),
              "The identity provider's keys are unavailable; retry later.",
              e.detail(),
              ISSUER_RETRY_AFTER);
      default ->
          Refusal.invalidGrant(
              ReasonCode.MALFORMED_TOKEN,
              "the verifier failed on this token: "
                  + thrown.getClass().getSimpleName()
                  + ": "
                  + Refusal.shown(String.valueOf(thrown.getMessage())));
    };
  }

  /**
   * The token is about to be exchanged (verified, a rule matched, its service account usable, not
   * replayed): only now is the provider's budget spent, so neither garbage nor validly signed
   * tokens that match no rule ever use it up. A spent budget refuses with 429 {@code slow_down}
   * (the token, if it was remembered for replay protection, is given back by {@link #exchange}).
   */
  private void chargeProvider(String providerId) {
    budget
        .passed(providerId)
        .ifPresent(
            wait -> {
              throw Refusal.rateLimited(
                  "rate limit: provider " + providerId + " (charged when about to issue)", wait);
            });
  }

  static Map<String, Object> transform(ProviderState.Active provider, VerifiedSubjectToken token) {
    try {
      return provider.transformations().evaluate(token.claims());
    } catch (TransformationFailedException e) {
      throw Refusal.invalidGrant(ReasonCode.TRANSFORMATION_FAILED, e.detail());
    }
  }

  static FederationRule matchRule(
      RuleMatcher matcher,
      FederationSnapshot snapshot,
      ProviderState.Active provider,
      String serviceAccountId,
      VerifiedSubjectToken token,
      Map<String, Object> attributes) {
    String providerId = provider.provider().id();
    MatchDecision decision =
        matcher.match(
            snapshot.enabledRulesOf(providerId),
            providerId,
            serviceAccountId,
            token.claims(),
            attributes);
    return switch (decision) {
      case MatchDecision.Matched matched -> matched.rule();
      case MatchDecision.NoMatch noMatch ->
          throw Refusal.invalidGrant(ReasonCode.NO_MATCHING_RULE, noMatch.detail());
    };
  }

  static ServiceAccount serviceAccount(FederationSnapshot snapshot, FederationRule rule) {
    return snapshot
        .usableServiceAccount(rule.serviceAccountId())
        .orElseThrow(
            () ->
                Refusal.invalidGrant(
                    ReasonCode.SERVICE_ACCOUNT_UNKNOWN,
                    "service account "
                        + rule.serviceAccountId()
                        + " of rule "
                        + rule.id()
                        + " is deleted or its project archived"));
  }

  /** Providers with replay protection admit each subject token once (see {@link ReplayMemory}). */
  private void useOnceIfRequired(
      ProviderState.Active provider, String subjectToken, VerifiedSubjectToken token, UseOnce use) {
    if (!provider.provider().replayProtection()) {
      return;
    }
    String providerId = provider.provider().id();
    String key = ReplayGuard.keyOf(providerId, subjectToken, token);
    Instant forgetAfter = token.expiresAt().plus(provider.policy().leeway());
    switch (replayMemory.admit(providerId, key, forgetAfter)) {
      case FIRST_USE -> use.admitted(() -> replayMemory.forget(providerId, key, forgetAfter));
      case REPLAYED ->
          throw Refusal.invalidGrant(
              ReasonCode.REPLAYED,
              "provider "
                  + provider.provider().id()
                  + " admits each subject token once; this one ("
                  + token
                      .jti()
                      .map(jti -> "jti " + Refusal.shown(jti))
                      .orElse("same signed content")
                  + ") was already exchanged");
      case TOO_LATE ->
          throw Refusal.invalidGrant(
              ReasonCode.EXPIRED,
              "the subject token's acceptance window (exp "
                  + token.expiresAt()
                  + " plus the leeway) closed while it was being exchanged");
      case FULL ->
          throw Refusal.unavailable(
              ReasonCode.OVERLOADED,
              "The server is busy; retry later.",
              "replay memory full: provider "
                  + provider.provider().id()
                  + " holds "
                  + ReplayGuard.PER_PROVIDER
                  + " unexpired subject tokens, or all providers together "
                  + ReplayGuard.TOTAL,
              ISSUER_RETRY_AFTER);
      case UNAVAILABLE ->
          throw Refusal.unavailable(
              ReasonCode.REPLAY_MEMORY_UNAVAILABLE,
              "The server cannot check this token for reuse right now; retry later.",
              "the shared replay memory ("
                  + replayMemory.kind()
                  + ") did not answer; provider "
                  + provider.provider().id()
                  + " admits each subject token once, so it is not admitted",
              ISSUER_RETRY_AFTER);
    }
  }

  private static final Duration ISSUER_RETRY_AFTER = Duration.ofSeconds(5);

  /** The snapshot whose deleted providers' replay memories were last dropped. */
  private final AtomicReference<FederationSnapshot> prunedFor =
      new AtomicReference<>(FederationSnapshot.empty());

  /**
   * What one attempt remembered for replay protection, given back when the attempt ends without a
   * token issued and audited (a 429 after the admission, a fault, the audit failing). Used by one
   * thread.
   */
  private static final class UseOnce {
    private Optional<Runnable> forget = Optional.empty();

    void admitted(Runnable undo) {
      forget = Optional.of(undo);
    }

    void giveBack() {
      forget.ifPresent(Runnable::run);
      forget = Optional.empty();
    }
  }
}
