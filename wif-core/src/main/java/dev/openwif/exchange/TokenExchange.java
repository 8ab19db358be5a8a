package dev.openwif.exchange;

import dev.openwif.attribute.TransformationFailedException;
import dev.openwif.audit.AuditSink;
import dev.openwif.audit.ReasonCode;
import dev.openwif.federation.FederationRule;
import dev.openwif.federation.IdGenerator;
import dev.openwif.federation.ServiceAccount;
import dev.openwif.oidc.IssuerUnavailableException;
import dev.openwif.oidc.SubjectTokenVerifier;
import dev.openwif.oidc.TokenRejectedException;
import dev.openwif.oidc.VerifiedSubjectToken;
import dev.openwif.policy.MatchDecision;
import dev.openwif.policy.RuleMatcher;
import dev.openwif.token.AccessTokenClaims;
import dev.openwif.token.AccessTokenMinter;
import dev.openwif.token.MintedAccessToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The token exchange (RFC 8693 §2): trades a workload's OIDC token for a short-lived access token, as
 * named steps — check the request, find the provider, verify the subject token, derive attributes, match
 * a rule, find the service account, mint. Every attempt ends in exactly one audit event ({@link
 * ExchangeAuditRecorder}), success or the precise reason it was refused; the client only ever sees a
 * generic description. Configuration comes from {@link InMemoryFederationDirectory} alone: no database
 * read on this path. Thread-safe.
 */
public final class TokenExchange {
  private final InMemoryFederationDirectory directory;
  private final SubjectTokenVerifier verifier;
  private final RuleMatcher matcher;
  private final AccessTokenMinter minter;
  private final ExchangeAuditRecorder recorder;
  private final IdGenerator ids;
  private final Clock clock;
  private final AccessTokenProfile profile;

  public TokenExchange(
      InMemoryFederationDirectory directory,
      SubjectTokenVerifier verifier,
      RuleMatcher matcher,
      AccessTokenMinter minter,
      AuditSink audit,
      IdGenerator ids,
      Clock clock,
      AccessTokenProfile profile) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.matcher = Objects.requireNonNull(matcher, "matcher");
    this.minter = Objects.requireNonNull(minter, "minter");
    this.recorder = new ExchangeAuditRecorder(audit, ids, clock);
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.profile = Objects.requireNonNull(profile, "profile");
  }

  /** Decides one exchange and records it. Never throws for a bad request or token: it is a {@link ExchangeOutcome.Rejected}. */
  public ExchangeOutcome exchange(ExchangeRequest request) {
    AttemptTrail attempt = AttemptTrail.of(request);
    ExchangeOutcome outcome;
    try {
      outcome = decide(request, attempt);
    } catch (Refusal refusal) {
      outcome = refusal.rejected;
    }
    recorder.record(attempt, outcome);
    return outcome;
  }

  private ExchangeOutcome decide(ExchangeRequest request, AttemptTrail attempt) {
    checkRequestShape(request);
    FederationSnapshot snapshot = directory.snapshot();
    ProviderState.Active provider = activeProvider(snapshot, request.identityProviderId());
    VerifiedSubjectToken token = verify(request.subjectToken(), provider);
    attempt.externalSubject(token.subject());
    Map<String, Object> attributes = transform(provider, token);
    FederationRule rule = matchRule(snapshot, provider, request.serviceAccountId(), token, attributes);
    attempt.rule(rule.id());
    ServiceAccount account = serviceAccount(snapshot, rule);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    MintedAccessToken minted = mint(request, now, provider, rule, account, token);
    return issued(minted, now, provider, rule, account);
  }

  /** A request rejected before parsing finished (malformed body, missing parameter), still audited. */
  public ExchangeOutcome.Rejected refuseMalformed(String problem, Optional<String> clientAddress) {
    ExchangeOutcome.Rejected rejected =
        reject(OAuthError.INVALID_REQUEST, ReasonCode.INVALID_REQUEST, problem, problem);
    recorder.record(AttemptTrail.unparsed(clientAddress), rejected);
    return rejected;
  }

  /** A request refused by admission control because the server is saturated, still audited. */
  public ExchangeOutcome.Rejected refuseOverloaded(ExchangeRequest request, Duration retryAfter) {
    ExchangeOutcome.Rejected rejected =
        new ExchangeOutcome.Rejected(
            OAuthError.TEMPORARILY_UNAVAILABLE,
            ReasonCode.OVERLOADED,
            "The server is busy; retry later.",
            "admission control: too many exchanges in progress",
            Optional.of(retryAfter));
    recorder.record(AttemptTrail.of(request), rejected);
    return rejected;
  }

  private static void checkRequestShape(ExchangeRequest request) {
    if (!request.grantType().equals(ExchangeRequest.TOKEN_EXCHANGE_GRANT)) {
      throw refusal(
          OAuthError.UNSUPPORTED_GRANT_TYPE,
          ReasonCode.UNSUPPORTED_GRANT_TYPE,
          "Only the token-exchange grant type is supported.",
          "grant_type was '" + shown(request.grantType()) + "'");
    }
    String type = request.subjectTokenType();
    if (!type.equals(ExchangeRequest.JWT_TOKEN_TYPE) && !type.equals(ExchangeRequest.ID_TOKEN_TYPE)) {
      throw refusal(
          OAuthError.INVALID_REQUEST,
          ReasonCode.UNSUPPORTED_SUBJECT_TOKEN_TYPE,
          "subject_token_type must be urn:ietf:params:oauth:token-type:jwt or ...:id_token.",
          "subject_token_type was '" + shown(type) + "'");
    }
  }

  private static ProviderState.Active activeProvider(FederationSnapshot snapshot, String providerId) {
    ProviderState state =
        snapshot
            .provider(providerId)
            .orElseThrow(
                () ->
                    refusal(
                        OAuthError.INVALID_TARGET,
                        ReasonCode.PROVIDER_UNKNOWN,
                        UNKNOWN_PROVIDER,
                        "no provider with id '" + shown(providerId) + "'"));
    return switch (state) {
      case ProviderState.Active active -> active;
      case ProviderState.Disabled disabled ->
          throw refusal(
              OAuthError.INVALID_TARGET,
              ReasonCode.PROVIDER_DISABLED,
              UNKNOWN_PROVIDER,
              "provider " + providerId + " is disabled");
      case ProviderState.Misconfigured broken ->
          throw refusal(
              OAuthError.INVALID_GRANT,
              ReasonCode.TRANSFORMATION_FAILED,
              INVALID_GRANT,
              "provider " + providerId + " is misconfigured: " + broken.problem());
    };
  }

  private VerifiedSubjectToken verify(String subjectToken, ProviderState.Active provider) {
    try {
      return verifier.verify(subjectToken, provider.policy(), provider.keys());
    } catch (TokenRejectedException e) {
      throw refusal(OAuthError.INVALID_GRANT, e.reason(), INVALID_GRANT, e.detail());
    } catch (IssuerUnavailableException e) {
      throw new Refusal(
          new ExchangeOutcome.Rejected(
              OAuthError.TEMPORARILY_UNAVAILABLE,
              ReasonCode.ISSUER_UNAVAILABLE,
              "The identity provider's keys are unavailable; retry later.",
              e.getMessage(),
              Optional.of(ISSUER_RETRY_AFTER)));
    }
  }

  private static Map<String, Object> transform(ProviderState.Active provider, VerifiedSubjectToken token) {
    try {
      return provider.transformations().evaluate(token.claims());
    } catch (TransformationFailedException e) {
      throw refusal(OAuthError.INVALID_GRANT, ReasonCode.TRANSFORMATION_FAILED, INVALID_GRANT, e.getMessage());
    }
  }

  private FederationRule matchRule(
      FederationSnapshot snapshot,
      ProviderState.Active provider,
      String serviceAccountId,
      VerifiedSubjectToken token,
      Map<String, Object> attributes) {
    String providerId = provider.provider().id();
    MatchDecision decision =
        matcher.match(snapshot.enabledRulesOf(providerId), providerId, serviceAccountId, token.claims(), attributes);
    return switch (decision) {
      case MatchDecision.Matched matched -> matched.rule();
      case MatchDecision.NoMatch noMatch ->
          throw refusal(OAuthError.INVALID_GRANT, ReasonCode.NO_MATCHING_RULE, INVALID_GRANT, noMatch.detail());
    };
  }

  private static ServiceAccount serviceAccount(FederationSnapshot snapshot, FederationRule rule) {
    return snapshot
        .usableServiceAccount(rule.serviceAccountId())
        .orElseThrow(
            () ->
                refusal(
                    OAuthError.INVALID_GRANT,
                    ReasonCode.SERVICE_ACCOUNT_UNKNOWN,
                    INVALID_GRANT,
                    "service account " + rule.serviceAccountId() + " of rule " + rule.id()
                        + " is deleted or its project archived"));
  }

  private MintedAccessToken mint(
      ExchangeRequest request,
      Instant now,
      ProviderState.Active provider,
      FederationRule rule,
      ServiceAccount account,
      VerifiedSubjectToken token) {
    Instant expiresAt = now.plus(profile.lifetime());
    if (rule.clampToSubjectTokenExpiry() && token.expiresAt().isBefore(expiresAt)) {
      expiresAt = token.expiresAt();
    }
    if (Duration.between(now, expiresAt).toSeconds() < 1) {
      throw refusal(
          OAuthError.INVALID_GRANT,
          ReasonCode.EXPIRED,
          INVALID_GRANT,
          "rule " + rule.id() + " clamps the access token to the subject token's exp " + token.expiresAt()
              + ", which leaves less than 1 s");
    }
    return minter.mint(
        new AccessTokenClaims(
            profile.issuer(),
            account.id(),
            profile.audience(),
            now,
            expiresAt,
            ids.next("at"),
            rule.permissions().grantedScopes(),
            provider.provider().id(),
            rule.id(),
            account.projectId(),
            token.subject().orElse(""),
            request.clientId()));
  }

  private ExchangeOutcome.Issued issued(
      MintedAccessToken minted,
      Instant mintedAt,
      ProviderState.Active provider,
      FederationRule rule,
      ServiceAccount account) {
    long expiresIn = Math.max(1, Duration.between(mintedAt, minted.expiresAt()).toSeconds());
    return new ExchangeOutcome.Issued(
        minted.token(),
        expiresIn,
        minted.expiresAt(),
        minted.jti(),
        provider.provider().id(),
        rule.id(),
        account.id(),
        rule.permissions().grantedScopes());
  }

  private static final String UNKNOWN_PROVIDER = "The identity provider is unknown or disabled.";
  private static final String INVALID_GRANT = "The subject token is not valid for this exchange.";
  private static final Duration ISSUER_RETRY_AFTER = Duration.ofSeconds(5);

  private static ExchangeOutcome.Rejected reject(
      OAuthError error, ReasonCode reason, String publicDescription, String detail) {
    return new ExchangeOutcome.Rejected(error, reason, publicDescription, detail, Optional.empty());
  }

  private static Refusal refusal(OAuthError error, ReasonCode reason, String publicDescription, String detail) {
    return new Refusal(reject(error, reason, publicDescription, detail));
  }

  /** Client-supplied text in a detail: cut, so an attacker cannot flood the audit log. */
  private static String shown(String value) {
    return value.length() <= 100 ? value : value.substring(0, 100) + "...";
  }

  /** Ends the steps early with a refusal; internal control flow, never escapes {@link #exchange}. */
  private static final class Refusal extends RuntimeException {
    final ExchangeOutcome.Rejected rejected;

    Refusal(ExchangeOutcome.Rejected rejected) {
      super(rejected.reason().code(), null, false, false);
      this.rejected = rejected;
    }
  }
}
