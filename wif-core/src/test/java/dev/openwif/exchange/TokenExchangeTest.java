package dev.openwif.exchange;

import static dev.openwif.directory.Fixtures.account;
import static dev.openwif.directory.Fixtures.project;
import static dev.openwif.directory.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.openwif.audit.AggregatingAuditSink;
import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.AuditSink;
import dev.openwif.audit.AuditUnavailableException;
import dev.openwif.audit.ReasonCode;
import dev.openwif.directory.Fixtures;
import dev.openwif.directory.InMemoryFederationDirectory;
import dev.openwif.directory.InMemoryRepositories;
import dev.openwif.federation.AttributeTransformation;
import dev.openwif.federation.Permissions;
import dev.openwif.federation.RandomIdGenerator;
import dev.openwif.federation.Verification;
import dev.openwif.federation.WorkloadIdentityProvider;
import dev.openwif.oidc.IssuerUnavailableException;
import dev.openwif.oidc.KeySource;
import dev.openwif.oidc.SubjectTokenVerifier;
import dev.openwif.oidc.UploadedJwksKeySource;
import dev.openwif.policy.RuleMatcher;
import dev.openwif.testkit.MutableClock;
import dev.openwif.testkit.TestKeys;
import dev.openwif.testkit.TokenBuilder;
import dev.openwif.token.AccessTokenMinter;
import dev.openwif.token.AccessTokenProfile;
import dev.openwif.token.AccessTokenVerifier;
import dev.openwif.token.InMemorySigningKeyRepository;
import dev.openwif.token.SigningKeys;
import dev.openwif.token.VerifiedAccessToken;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenExchangeTest {
  private static final String SERVER = "https://wif.example";
  private static final String API = SERVER + "/v1";

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T12:00:00Z"));
  private static final RSAKey issuerKey = TestKeys.rsa("issuer-key-1");
  private final InMemoryRepositories repos = new InMemoryRepositories();
  private final RecordingAuditSink audit = new RecordingAuditSink();
  private final InMemorySigningKeyRepository signingKeyRepo = new InMemorySigningKeyRepository();
  private Function<WorkloadIdentityProvider, KeySource> keySources =
      p -> new UploadedJwksKeySource(((Verification.UploadedJwks) p.verification()).jwksJson());
  private InMemoryFederationDirectory directory;
  private TokenExchange exchange;
  private final EarlyRefusals refusals = new EarlyRefusals(audit, new RandomIdGenerator(), clock);
  private SigningKeys signingKeys;

  @BeforeEach
  void setUp() {
    repos.projects.insert(project("proj_1", false));
    repos.serviceAccounts.insert(account("svc_1", "proj_1"));
    repos.providers.insert(
        Fixtures.provider(
            "wip_1",
            Fixtures.ISSUER,
            true,
            new Verification.UploadedJwks(new JWKSet(issuerKey.toPublicJWK()).toString()),
            List.of(new AttributeTransformation("team", "assertion.team.lowerAscii()"))));
    repos.rules.insert(
        rule(
            "wifr_1",
            "wip_1",
            "svc_1",
            true,
            Map.of("sub", "workload-a", "openai.team", "ml"),
            new Permissions.Restricted(Set.of("api.model.request")),
            false));
    build(Duration.ofSeconds(3600));
  }

  private void build(Duration ttl) {
    directory = repos.directory(p -> keySources.apply(p));
    directory.federationChanged();
    signingKeys = new SigningKeys(signingKeyRepo, clock);
    exchange =
        new TokenExchange(
            directory,
            new SubjectTokenVerifier(clock),
            new RuleMatcher(),
            new AccessTokenMinter(signingKeys, clock),
            audit,
            new RandomIdGenerator(),
            clock,
            new AccessTokenProfile(SERVER, API, ttl));
  }

  private Map<String, Object> claims() {
    long now = clock.instant().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", Fixtures.ISSUER);
    claims.put("aud", Fixtures.AUDIENCE);
    claims.put("sub", "workload-a");
    claims.put("team", "ML");
    claims.put("iat", now);
    claims.put("exp", now + 600);
    return claims;
  }

  private String token(Map<String, Object> claims) {
    return TokenBuilder.signedBy(issuerKey).claims(claims).build();
  }

  private ExchangeRequest request(String token) {
    return request(token, "wip_1", "svc_1");
  }

  private static ExchangeRequest request(String token, String provider, String account) {
    return new ExchangeRequest(
        ExchangeRequest.TOKEN_EXCHANGE_GRANT,
        token,
        ExchangeRequest.JWT_TOKEN_TYPE,
        provider,
        account,
        Optional.of("client-1"),
        Optional.of("10.0.0.7"));
  }

  @Test
  void exchangeWhenTokenMatchesRuleThenIssuesVerifiableTokenAndAuditsSuccess() {
    String subjectToken = token(claims());

    ExchangeOutcome outcome = exchange.exchange(request(subjectToken));

    assertThat(outcome).isInstanceOf(ExchangeOutcome.Issued.class);
    ExchangeOutcome.Issued issued = (ExchangeOutcome.Issued) outcome;
    assertThat(issued.expiresIn()).isEqualTo(3600);
    assertThat(issued.scopes()).containsExactly("api.model.request");
    VerifiedAccessToken verified =
        new AccessTokenVerifier(signingKeys, clock, SERVER, API, 100).verify(issued.accessToken());
    assertThat(verified)
        .isEqualTo(
            new VerifiedAccessToken(
                "svc_1",
                Set.of("api.model.request"),
                "wip_1",
                "wifr_1",
                "proj_1",
                issued.jti(),
                clock.instant().plusSeconds(3600),
                clock.instant(),
                Optional.of("workload-a"),
                Optional.of("client-1")));
    AuditEvent.ExchangeAttempt event = audit.attempts().getFirst();
    assertThat(audit.events()).hasSize(1);
    assertThat(event.reason()).isEmpty();
    assertThat(event.providerId()).contains("wip_1");
    assertThat(event.ruleId()).contains("wifr_1");
    assertThat(event.serviceAccountId()).contains("svc_1");
    assertThat(event.externalSubject()).contains("workload-a");
    assertThat(event.accessTokenJti()).contains(issued.jti());
    assertThat(event.clientAddress()).contains("10.0.0.7");
    assertThat(event.subjectTokenHash()).contains(AttemptTrail.sha256Hex(subjectToken));
    assertThat(event.subjectTokenHash().orElseThrow()).hasSize(64).doesNotContain(subjectToken);
    assertThat(event.detail()).doesNotContain(subjectToken).doesNotContain(issued.accessToken());
  }

  @Test
  void exchangeWhenRuleClampsThenLifetimeEndsAtSubjectTokenExpiry() {
    repos.rules.update(
        rule(
            "wifr_1",
            "wip_1",
            "svc_1",
            true,
            Map.of("sub", "workload-a"),
            new Permissions.ServiceAccountDefault(),
            true));
    directory.federationChanged();

    ExchangeOutcome outcome = exchange.exchange(request(token(claims())));

    assertThat(((ExchangeOutcome.Issued) outcome).expiresIn()).isEqualTo(600);
  }

  @Test
  void exchangeWhenRuleDoesNotClampThenLifetimeIsTheTtlEvenBeyondSubjectExpiry() {
    ExchangeOutcome outcome = exchange.exchange(request(token(claims())));

    assertThat(((ExchangeOutcome.Issued) outcome).expiresAt())
        .isEqualTo(clock.instant().plusSeconds(3600));
  }

  record Refusal(OAuthError error, ReasonCode reason) {}

  private Refusal refusal(ExchangeOutcome outcome) {
    ExchangeOutcome.Rejected r = (ExchangeOutcome.Rejected) outcome;
    return new Refusal(r.error(), r.reason());
  }

  @Test
  void exchangeWhenRequestShapeWrongThenTypedRefusals() {
    String t = token(claims());
    ExchangeRequest badGrant =
        new ExchangeRequest(
            "authorization_code",
            t,
            ExchangeRequest.JWT_TOKEN_TYPE,
            "wip_1",
            "svc_1",
            Optional.empty(),
            Optional.empty());
    ExchangeRequest badType =
        new ExchangeRequest(
            ExchangeRequest.TOKEN_EXCHANGE_GRANT,
            t,
            "urn:ietf:params:oauth:token-type:saml2",
            "wip_1",
            "svc_1",
            Optional.empty(),
            Optional.empty());

    assertThat(refusal(exchange.exchange(badGrant)))
        .isEqualTo(
            new Refusal(OAuthError.UNSUPPORTED_GRANT_TYPE, ReasonCode.UNSUPPORTED_GRANT_TYPE));
    assertThat(refusal(exchange.exchange(badType)))
        .isEqualTo(
            new Refusal(OAuthError.INVALID_REQUEST, ReasonCode.UNSUPPORTED_SUBJECT_TOKEN_TYPE));
    assertThat(audit.attempts())
        .extracting(e -> e.reason().orElseThrow())
        .containsExactly(
            ReasonCode.UNSUPPORTED_GRANT_TYPE, ReasonCode.UNSUPPORTED_SUBJECT_TOKEN_TYPE);
  }

  @Test
  void exchangeWhenIdTokenTypeThenAccepted() {
    ExchangeRequest idToken =
        new ExchangeRequest(
            ExchangeRequest.TOKEN_EXCHANGE_GRANT,
            token(claims()),
            ExchangeRequest.ID_TOKEN_TYPE,
            "wip_1",
            "svc_1",
            Optional.empty(),
            Optional.empty());

    assertThat(exchange.exchange(idToken)).isInstanceOf(ExchangeOutcome.Issued.class);
  }

  @Test
  void exchangeWhenProviderUnknownOrDisabledThenInvalidTarget() {
    WorkloadIdentityProvider p = repos.providers.byId.get("wip_1");
    repos.providers.insert(
        Fixtures.provider("wip_off", p.issuer(), false, p.verification(), List.of()));
    directory.federationChanged();

    assertThat(refusal(exchange.exchange(request(token(claims()), "wip_nope", "svc_1"))))
        .isEqualTo(new Refusal(OAuthError.INVALID_TARGET, ReasonCode.PROVIDER_UNKNOWN));
    assertThat(refusal(exchange.exchange(request(token(claims()), "wip_off", "svc_1"))))
        .isEqualTo(new Refusal(OAuthError.INVALID_TARGET, ReasonCode.PROVIDER_DISABLED));
    assertThat(audit.attempts().get(0).providerId()).contains("wip_nope");
  }

  @Test
  void exchangeWhenTokenFailsVerificationThenInvalidGrantWithVerifierReason() {
    Map<String, Object> wrongAudience = claims();
    wrongAudience.put("aud", "someone-else");

    ExchangeOutcome outcome = exchange.exchange(request(token(wrongAudience)));

    assertThat(refusal(outcome))
        .isEqualTo(new Refusal(OAuthError.INVALID_GRANT, ReasonCode.AUDIENCE_MISMATCH));
    assertThat(((ExchangeOutcome.Rejected) outcome).publicDescription())
        .isEqualTo("The subject token is not valid for this exchange.");
    assertThat(audit.attempts().getFirst().detail()).contains("someone-else");
  }

  @Test
  void exchangeWhenTransformationFailsThenTransformationFailed() {
    Map<String, Object> noTeam = claims();
    noTeam.remove("team");

    assertThat(refusal(exchange.exchange(request(token(noTeam)))))
        .isEqualTo(new Refusal(OAuthError.INVALID_GRANT, ReasonCode.TRANSFORMATION_FAILED));
  }

  @Test
  void exchangeWhenNoRuleMatchesThenNoMatchingRuleWithDetailInAuditOnly() {
    Map<String, Object> other = claims();
    other.put("sub", "workload-b");

    ExchangeOutcome outcome = exchange.exchange(request(token(other)));

    assertThat(refusal(outcome))
        .isEqualTo(new Refusal(OAuthError.INVALID_GRANT, ReasonCode.NO_MATCHING_RULE));
    assertThat(((ExchangeOutcome.Rejected) outcome).publicDescription()).doesNotContain("workload");
    assertThat(audit.attempts().getFirst().detail())
        .isEqualTo("rule wifr_1: sub was 'workload-b', expected 'workload-a'");
    assertThat(audit.attempts().getFirst().externalSubject()).contains("workload-b");
  }

  @Test
  void exchangeWhenServiceAccountAskedForHasNoRuleThenNoMatchingRule() {
    assertThat(refusal(exchange.exchange(request(token(claims()), "wip_1", "svc_other"))))
        .isEqualTo(new Refusal(OAuthError.INVALID_GRANT, ReasonCode.NO_MATCHING_RULE));
  }

  @Test
  void exchangeWhenServiceAccountDeletedOrProjectArchivedThenServiceAccountUnknown() {
    repos.projects.update(project("proj_1", true));
    directory.federationChanged();

    assertThat(refusal(exchange.exchange(request(token(claims())))))
        .isEqualTo(new Refusal(OAuthError.INVALID_GRANT, ReasonCode.SERVICE_ACCOUNT_UNKNOWN));

    repos.projects.update(project("proj_1", false));
    repos.serviceAccounts.delete("svc_1");
    directory.federationChanged();

    assertThat(refusal(exchange.exchange(request(token(claims())))))
        .isEqualTo(new Refusal(OAuthError.INVALID_GRANT, ReasonCode.SERVICE_ACCOUNT_UNKNOWN));
    assertThat(audit.attempts().getLast().ruleId()).contains("wifr_1");
  }

  @Test
  void exchangeWhenIssuerUnavailableThenTemporarilyUnavailableWithRetryAfter() {
    keySources =
        p ->
            kid -> {
              throw new IssuerUnavailableException("issuer https://issuer.example unreachable");
            };
    build(Duration.ofSeconds(3600));

    ExchangeOutcome outcome = exchange.exchange(request(token(claims())));

    assertThat(refusal(outcome))
        .isEqualTo(new Refusal(OAuthError.TEMPORARILY_UNAVAILABLE, ReasonCode.ISSUER_UNAVAILABLE));
    assertThat(((ExchangeOutcome.Rejected) outcome).retryAfter()).contains(Duration.ofSeconds(5));
  }

  @Test
  void exchangeWhenIssuerDownOrSnapshotStaleThenJunkRefusalsAreCountedNotStoredOneRowEach() {
    ReasonCode[] pending = {ReasonCode.ISSUER_UNAVAILABLE};
    keySources =
        p ->
            kid -> {
              throw new IssuerUnavailableException(pending[0], "issuer keys not available");
            };
    build(Duration.ofSeconds(3600));
    AggregatingAuditSink counting = new AggregatingAuditSink(audit, clock, 100);
    boolean[] stale = {false};
    dev.openwif.directory.FederationDirectory maybeStale =
        new dev.openwif.directory.FederationDirectory() {
          @Override
          public dev.openwif.directory.FederationSnapshot snapshot() {
            return directory.snapshot();
          }

          @Override
          public Optional<String> staleness() {
            return stale[0] ? Optional.of("last read 400 s ago") : Optional.empty();
          }
        };
    TokenExchange junkTarget =
        new TokenExchange(
            maybeStale,
            new SubjectTokenVerifier(clock),
            new RuleMatcher(),
            new AccessTokenMinter(signingKeys, clock),
            counting,
            new RandomIdGenerator(),
            clock,
            new AccessTokenProfile(SERVER, API, Duration.ofSeconds(3600)));
    // junk anyone can mint: validly shaped, signed by nobody the provider trusts
    String junk = TokenBuilder.signedBy(TestKeys.rsa("attacker")).claims(claims()).build();

    for (ReasonCode reason :
        List.of(
            ReasonCode.ISSUER_UNAVAILABLE,
            ReasonCode.ISSUER_KEYS_PENDING,
            ReasonCode.SNAPSHOT_STALE)) {
      pending[0] = reason;
      stale[0] = reason == ReasonCode.SNAPSHOT_STALE;
      for (int i = 0; i < 50; i++) {
        assertThat(refusal(junkTarget.exchange(request(junk))).reason()).isEqualTo(reason);
      }
    }
    counting.flush();

    assertThat(audit.attempts())
        .as("one counted row per reason, not 150 rows")
        .hasSize(3)
        .allSatisfy(e -> assertThat(e.count()).isEqualTo(50L))
        .extracting(e -> e.reason().orElseThrow())
        .containsExactly(
            ReasonCode.ISSUER_UNAVAILABLE,
            ReasonCode.ISSUER_KEYS_PENDING,
            ReasonCode.SNAPSHOT_STALE);
  }

  @Test
  void exchangeWhenVerifierFailsUnexpectedlyThenRefusedFailClosedAndAudited() {
    keySources =
        p ->
            kid -> {
              throw new IllegalStateException("bug");
            };
    build(Duration.ofSeconds(3600));

    ExchangeOutcome outcome = exchange.exchange(request(token(claims())));

    assertThat(refusal(outcome))
        .isEqualTo(new Refusal(OAuthError.INVALID_GRANT, ReasonCode.MALFORMED_TOKEN));
    assertThat(audit.attempts())
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.detail())
                    .isEqualTo("the verifier failed on this token: IllegalStateException: bug"));
  }

  @Test
  void exchangeWhenRuleDisabledAfterChangeThenNextExchangeRefused() {
    assertThat(exchange.exchange(request(token(claims()))))
        .isInstanceOf(ExchangeOutcome.Issued.class);
    repos.rules.update(
        rule(
            "wifr_1",
            "wip_1",
            "svc_1",
            false,
            Map.of("sub", "workload-a"),
            new Permissions.ServiceAccountDefault(),
            false));
    directory.federationChanged();

    assertThat(refusal(exchange.exchange(request(token(claims())))))
        .isEqualTo(new Refusal(OAuthError.INVALID_GRANT, ReasonCode.NO_MATCHING_RULE));
  }

  private void protectFromReplay() {
    WorkloadIdentityProvider p = repos.providers.byId.get("wip_1");
    repos.providers.update(
        new WorkloadIdentityProvider(
            p.id(),
            p.name(),
            p.description(),
            p.issuer(),
            p.audience(),
            true,
            p.attributeTransformations(),
            p.verification(),
            true,
            p.createdAt(),
            p.updatedAt()));
    directory.federationChanged();
  }

  @Test
  void exchangeWhenProviderHasReplayProtectionThenSecondUseOfTheSameTokenRefused() {
    protectFromReplay();
    String once = token(claims());

    assertThat(exchange.exchange(request(once))).isInstanceOf(ExchangeOutcome.Issued.class);
    assertThat(refusal(exchange.exchange(request(once))))
        .isEqualTo(new Refusal(OAuthError.INVALID_GRANT, ReasonCode.REPLAYED));
    Map<String, Object> another = claims();
    another.put("jti", "another-token");
    assertThat(exchange.exchange(request(token(another))))
        .isInstanceOf(ExchangeOutcome.Issued.class);
    Map<String, Object> sameJti = claims();
    sameJti.put("jti", "another-token");
    sameJti.put("extra", "different payload");
    assertThat(refusal(exchange.exchange(request(token(sameJti)))))
        .isEqualTo(new Refusal(OAuthError.INVALID_GRANT, ReasonCode.REPLAYED));
  }

  @Test
  void exchangeWhenProviderWithoutReplayProtectionThenTokenReusable() {
    String reused = token(claims());

    assertThat(exchange.exchange(request(reused))).isInstanceOf(ExchangeOutcome.Issued.class);
    assertThat(exchange.exchange(request(reused))).isInstanceOf(ExchangeOutcome.Issued.class);
  }

  @Test
  void exchangeWhenRunningThenReadsNothingFromRepositories() {
    int readsBefore = repos.reads.get();
    List<ExchangeOutcome> outcomes = new ArrayList<>();

    for (int i = 0; i < 20; i++) {
      outcomes.add(exchange.exchange(request(token(claims()))));
    }

    assertThat(outcomes).allMatch(ExchangeOutcome.Issued.class::isInstance);
    assertThat(repos.reads.get()).isEqualTo(readsBefore);
  }

  @Test
  void refuseMalformedWhenCalledThenInvalidRequestAuditedOnce() {
    ExchangeOutcome.Rejected rejected =
        refusals.refuse(
            new EarlyRefusal.Malformed(
                "Missing required parameter: subject_token.", Optional.of("10.0.0.9")));

    assertThat(rejected.error()).isEqualTo(OAuthError.INVALID_REQUEST);
    assertThat(rejected.publicDescription())
        .isEqualTo("Missing required parameter: subject_token.");
    assertThat(audit.attempts())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.reason()).contains(ReasonCode.INVALID_REQUEST);
              assertThat(e.clientAddress()).contains("10.0.0.9");
              assertThat(e.subjectTokenHash()).isEmpty();
            });
  }

  @Test
  void refuseOverloadedWhenCalledThenTemporarilyUnavailableAudited() {
    ExchangeOutcome.Rejected rejected =
        refusals.refuse(
            new EarlyRefusal.Overloaded(request(token(claims())), Duration.ofSeconds(1)));

    assertThat(rejected.error()).isEqualTo(OAuthError.TEMPORARILY_UNAVAILABLE);
    assertThat(rejected.retryAfter()).contains(Duration.ofSeconds(1));
    assertThat(audit.attempts())
        .singleElement()
        .extracting(e -> e.reason().orElseThrow())
        .isEqualTo(ReasonCode.OVERLOADED);
  }

  /** Records what the exchange charged; refuses good exchanges when told to. */
  private static final class RecordingBudget implements VerificationBudget {
    final List<String> charges = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile boolean spent;

    @Override
    public Optional<Duration> passed(String providerId) {
      charges.add("passed " + providerId);
      return spent ? Optional.of(Duration.ofMillis(1500)) : Optional.empty();
    }

    @Override
    public void failed(String providerId, Optional<String> clientAddress) {
      charges.add("failed " + providerId + " " + clientAddress.orElse("?"));
    }
  }

  private TokenExchange exchangeWith(
      dev.openwif.directory.FederationDirectory dir, VerificationBudget budget) {
    return new TokenExchange(
        dir,
        new SubjectTokenVerifier(clock),
        new RuleMatcher(),
        new AccessTokenMinter(signingKeys, clock),
        audit,
        new RandomIdGenerator(),
        clock,
        new AccessTokenProfile(SERVER, API, Duration.ofSeconds(3600)),
        budget);
  }

  @Test
  void exchangeWhenTokenFailsVerificationThenOnlyTheFailureBudgetIsCharged() {
    RecordingBudget budget = new RecordingBudget();
    TokenExchange charged = exchangeWith(directory, budget);
    String valid = token(claims());
    String forged = valid.substring(0, valid.lastIndexOf('.') + 1) + "AAAA";

    assertThat(charged.exchange(request(forged))).isInstanceOf(ExchangeOutcome.Rejected.class);
    assertThat(charged.exchange(request("garbage"))).isInstanceOf(ExchangeOutcome.Rejected.class);
    assertThat(charged.exchange(request(valid))).isInstanceOf(ExchangeOutcome.Issued.class);

    assertThat(budget.charges)
        .containsExactly("failed wip_1 10.0.0.7", "failed wip_1 10.0.0.7", "passed wip_1");
  }

  @Test
  void exchangeWhenProviderBudgetSpentAfterVerificationThen429SlowDownAudited() {
    RecordingBudget budget = new RecordingBudget();
    budget.spent = true;

    ExchangeOutcome outcome = exchangeWith(directory, budget).exchange(request(token(claims())));

    ExchangeOutcome.Rejected rejected = (ExchangeOutcome.Rejected) outcome;
    assertThat(rejected.error()).isEqualTo(OAuthError.SLOW_DOWN);
    assertThat(rejected.retryAfter()).contains(Duration.ofMillis(1500));
    assertThat(audit.attempts())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.reason()).contains(ReasonCode.RATE_LIMITED);
              assertThat(e.detail()).contains("provider wip_1 (charged when about to issue)");
            });
  }

  @Test
  void exchangeWhenSuccessCannotBeAuditedThenTheSubjectTokenIsNotUsedUpAndTheRetrySucceeds() {
    protectFromReplay();
    boolean[] queueFull = {true};
    AuditSink stalling =
        event -> {
          if (queueFull[0]) {
            throw new AuditUnavailableException("audit queue full for 100 ms");
          }
          audit.record(event);
        };
    TokenExchange stalled =
        new TokenExchange(
            directory,
            new SubjectTokenVerifier(clock),
            new RuleMatcher(),
            new AccessTokenMinter(signingKeys, clock),
            stalling,
            new RandomIdGenerator(),
            clock,
            new AccessTokenProfile(SERVER, API, Duration.ofSeconds(3600)));
    String once = token(claims());

    assertThat(
            catchThrowableOfType(
                AuditUnavailableException.class, () -> stalled.exchange(request(once))))
        .as("the endpoint answers 503 and issues nothing")
        .isNotNull();
    queueFull[0] = false;

    assertThat(stalled.exchange(request(once)))
        .as("the retry after the 503 is not a replay")
        .isInstanceOf(ExchangeOutcome.Issued.class);
    assertThat(refusal(stalled.exchange(request(once))))
        .as("once issued and audited, the token is used up")
        .isEqualTo(new Refusal(OAuthError.INVALID_GRANT, ReasonCode.REPLAYED));
  }

  @Test
  void exchangeWhenTokenVerifiesButFailsPolicyThenTheFailureBudgetIsChargedNotTheProviders() {
    protectFromReplay();
    RecordingBudget budget = new RecordingBudget();
    TokenExchange charged = exchangeWith(directory, budget);
    Map<String, Object> stranger = claims();
    stranger.put("sub", "anyone-with-a-public-issuer");
    Map<String, Object> noTeam = claims();
    noTeam.remove("team");
    Map<String, Object> expired = claims();
    expired.put("exp", clock.instant().minusSeconds(3600).getEpochSecond());
    expired.put("iat", clock.instant().minusSeconds(4000).getEpochSecond());
    String valid = token(claims());

    assertThat(refusal(charged.exchange(request(token(stranger)))).reason())
        .isEqualTo(ReasonCode.NO_MATCHING_RULE);
    assertThat(refusal(charged.exchange(request(token(noTeam)))).reason())
        .isEqualTo(ReasonCode.TRANSFORMATION_FAILED);
    assertThat(refusal(charged.exchange(request(token(expired)))).reason())
        .isEqualTo(ReasonCode.EXPIRED);
    assertThat(refusal(charged.exchange(request(token(claims()), "wip_1", "svc_other"))).reason())
        .isEqualTo(ReasonCode.NO_MATCHING_RULE);
    assertThat(charged.exchange(request(valid))).isInstanceOf(ExchangeOutcome.Issued.class);
    assertThat(refusal(charged.exchange(request(valid))).reason()).isEqualTo(ReasonCode.REPLAYED);
    repos.projects.update(project("proj_1", true));
    directory.federationChanged();
    assertThat(refusal(charged.exchange(request(token(claims())))).reason())
        .isEqualTo(ReasonCode.SERVICE_ACCOUNT_UNKNOWN);

    assertThat(budget.charges)
        .containsExactly(
            "failed wip_1 10.0.0.7",
            "failed wip_1 10.0.0.7",
            "failed wip_1 10.0.0.7",
            "failed wip_1 10.0.0.7",
            "passed wip_1",
            "failed wip_1 10.0.0.7",
            "failed wip_1 10.0.0.7");
  }

  /**
   * A token its clamping rule would turn into an access token of less than 1 s (expired, but within
   * the verification leeway) is a policy failure anyone holding such a token can repeat: it spends
   * the failure budget, never the genuine workloads' budget.
   */
  @Test
  void exchangeWhenClampLeavesLessThanASecondThenExpiredChargedAsAFailure() {
    protectFromReplay();
    repos.rules.update(
        rule(
            "wifr_1",
            "wip_1",
            "svc_1",
            true,
            Map.of("sub", "workload-a"),
            new Permissions.ServiceAccountDefault(),
            true));
    directory.federationChanged();
    RecordingBudget budget = new RecordingBudget();
    TokenExchange charged = exchangeWith(directory, budget);
    Map<String, Object> justExpired = claims();
    justExpired.put("exp", clock.instant().minusSeconds(10).getEpochSecond());
    justExpired.put("iat", clock.instant().minusSeconds(600).getEpochSecond());
    String token = token(justExpired);

    assertThat(refusal(charged.exchange(request(token))).reason()).isEqualTo(ReasonCode.EXPIRED);
    assertThat(refusal(charged.exchange(request(token))).reason()).isEqualTo(ReasonCode.EXPIRED);

    assertThat(budget.charges).containsExactly("failed wip_1 10.0.0.7", "failed wip_1 10.0.0.7");
  }

  @Test
  void exchangeWhenProviderBudgetSpentThen429AndTheSubjectTokenIsNotUsedUp() {
    protectFromReplay();
    RecordingBudget budget = new RecordingBudget();
    budget.spent = true;
    TokenExchange charged = exchangeWith(directory, budget);
    String once = token(claims());

    assertThat(refusal(charged.exchange(request(once))))
        .isEqualTo(new Refusal(OAuthError.SLOW_DOWN, ReasonCode.RATE_LIMITED));
    budget.spent = false;

    assertThat(charged.exchange(request(once)))
        .as("the retry after the 429 is not a replay")
        .isInstanceOf(ExchangeOutcome.Issued.class);
  }

  @Test
  void exchangeWhenProviderDeletedThenItsReplayMemoryIsDropped() {
    protectFromReplay();
    assertThat(exchange.exchange(request(token(claims()))))
        .isInstanceOf(ExchangeOutcome.Issued.class);
    assertThat(((ReplayGuard) exchange.replayMemory()).providers()).isEqualTo(1);

    repos.rules.delete("wifr_1");
    repos.providers.delete("wip_1");
    directory.federationChanged();
    assertThat(refusal(exchange.exchange(request(token(claims())))).reason())
        .isEqualTo(ReasonCode.PROVIDER_UNKNOWN);

    assertThat(((ReplayGuard) exchange.replayMemory()).providers()).isZero();
    assertThat(((ReplayGuard) exchange.replayMemory()).size()).isZero();
  }

  @Test
  void exchangeWhenSnapshotStaleThen503TemporarilyUnavailableAuditedSnapshotStale() {
    dev.openwif.directory.FederationDirectory stale =
        new dev.openwif.directory.FederationDirectory() {
          @Override
          public dev.openwif.directory.FederationSnapshot snapshot() {
            return directory.snapshot();
          }

          @Override
          public Optional<String> staleness() {
            return Optional.of("last read 400 s ago");
          }
        };
    RecordingBudget budget = new RecordingBudget();

    ExchangeOutcome outcome = exchangeWith(stale, budget).exchange(request(token(claims())));

    ExchangeOutcome.Rejected rejected = (ExchangeOutcome.Rejected) outcome;
    assertThat(rejected.error()).isEqualTo(OAuthError.TEMPORARILY_UNAVAILABLE);
    assertThat(rejected.retryAfter()).isPresent();
    assertThat(budget.charges).as("nothing verified").isEmpty();
    assertThat(audit.attempts())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.reason()).contains(ReasonCode.SNAPSHOT_STALE);
              assertThat(e.detail()).isEqualTo("last read 400 s ago");
            });
  }

  @Test
  void exchangeWhenServerFaultsThenAuditedAsInternalErrorAndThrownAsServerError() {
    TokenExchange faulty =
        new TokenExchange(
            () -> {
              throw new IllegalStateException("configuration unreadable: secret-detail");
            },
            new SubjectTokenVerifier(clock),
            new RuleMatcher(),
            new AccessTokenMinter(signingKeys, clock),
            audit,
            new RandomIdGenerator(),
            clock,
            new AccessTokenProfile(SERVER, API, Duration.ofSeconds(3600)));

    ExchangeFault fault =
        catchThrowableOfType(ExchangeFault.class, () -> faulty.exchange(request(token(claims()))));

    assertThat(fault.getCause()).isInstanceOf(IllegalStateException.class);
    assertThat(fault.rejected().error()).isEqualTo(OAuthError.SERVER_ERROR);
    assertThat(fault.rejected().reason()).isEqualTo(ReasonCode.INTERNAL_ERROR);
    assertThat(fault.rejected().publicDescription())
        .isEqualTo("The server could not complete the token exchange.");
    assertThat(audit.attempts())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.reason()).contains(ReasonCode.INTERNAL_ERROR);
              assertThat(e.detail())
                  .isEqualTo("server fault: IllegalStateException")
                  .doesNotContain("secret-detail");
              assertThat(e.providerId()).contains("wip_1");
            });
  }
}
