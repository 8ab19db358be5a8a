package dev.openwif.exchange;

import static dev.openwif.directory.Fixtures.account;
import static dev.openwif.directory.Fixtures.project;
import static dev.openwif.directory.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.ReasonCode;
import dev.openwif.directory.Fixtures;
import dev.openwif.directory.InMemoryFederationDirectory;
import dev.openwif.directory.InMemoryRepositories;
import dev.openwif.exchange.ExchangeExplanation.Check;
import dev.openwif.exchange.ExchangeExplanation.Outcome;
import dev.openwif.federation.AttributeTransformation;
import dev.openwif.federation.Permissions;
import dev.openwif.federation.RandomIdGenerator;
import dev.openwif.federation.Verification;
import dev.openwif.federation.WorkloadIdentityProvider;
import dev.openwif.oidc.SubjectTokenVerifier;
import dev.openwif.oidc.UploadedJwksKeySource;
import dev.openwif.policy.RuleMatcher;
import dev.openwif.testkit.MutableClock;
import dev.openwif.testkit.TestKeys;
import dev.openwif.testkit.TokenBuilder;
import dev.openwif.token.AccessTokenMinter;
import dev.openwif.token.AccessTokenProfile;
import dev.openwif.token.InMemorySigningKeyRepository;
import dev.openwif.token.SigningKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExchangeExplainerTest {
  private static final String SERVER = "https://wif.example";
  private static final RSAKey ISSUER_KEY = TestKeys.rsa("issuer-key-1");
  private static final RSAKey OTHER_KEY = TestKeys.rsa("issuer-key-2");

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T12:00:00Z"));
  private final InMemoryRepositories repos = new InMemoryRepositories();
  private final RecordingAuditSink audit = new RecordingAuditSink();
  private InMemoryFederationDirectory directory;
  private TokenExchange exchange;
  private ExchangeExplainer explainer;

  @BeforeEach
  void setUp() {
    repos.projects.insert(project("proj_1", false));
    repos.serviceAccounts.insert(account("svc_1", "proj_1"));
    repos.providers.insert(
        Fixtures.provider(
            "wip_1",
            Fixtures.ISSUER,
            true,
            new Verification.UploadedJwks(new JWKSet(ISSUER_KEY.toPublicJWK()).toString()),
            List.of(new AttributeTransformation("team", "assertion.team.lowerAscii()"))));
    repos.rules.insert(
        rule(
            "wifr_other",
            "wip_1",
            "svc_1",
            true,
            Map.of("sub", "someone-else"),
            new Permissions.ServiceAccountDefault(),
            false));
    repos.rules.insert(
        rule(
            "wifr_1",
            "wip_1",
            "svc_1",
            true,
            Map.of("sub", "workload-a", "openai.team", "ml"),
            new Permissions.Restricted(Set.of("api.model.request")),
            false));
    directory =
        repos.directory(
            p ->
                new UploadedJwksKeySource(
                    ((Verification.UploadedJwks) p.verification()).jwksJson()));
    directory.federationChanged();
    AccessTokenProfile profile =
        new AccessTokenProfile(SERVER, SERVER + "/v1", Duration.ofSeconds(3600));
    exchange =
        new TokenExchange(
            directory,
            new SubjectTokenVerifier(clock),
            new RuleMatcher(),
            new AccessTokenMinter(
                new SigningKeys(new InMemorySigningKeyRepository(), clock), clock),
            audit,
            new RandomIdGenerator(),
            clock,
            profile);
    explainer =
        new ExchangeExplainer(
            directory, new SubjectTokenVerifier(clock), new RuleMatcher(), clock, profile);
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

  private String token(UnaryOperator<TokenBuilder> change) {
    return change.apply(TokenBuilder.signedBy(ISSUER_KEY).claims(claims())).build();
  }

  private ExchangeOutcome exchange(String token) {
    return exchange.exchange(
        new ExchangeRequest(
            ExchangeRequest.TOKEN_EXCHANGE_GRANT,
            token,
            ExchangeRequest.JWT_TOKEN_TYPE,
            "wip_1",
            "svc_1",
            Optional.of("client-1"),
            Optional.of("10.0.0.7")));
  }

  private static Check line(ExchangeExplanation explanation, String check) {
    return explanation.checks().stream()
        .filter(c -> c.check().equals(check))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + check + " line in " + explanation));
  }

  static Stream<Arguments> badTokens() {
    return Stream.of(
        Arguments.of(
            Named.of("wrong audience", (UnaryOperator<TokenBuilder>) b -> b.claim("aud", "x")),
            "audience",
            ReasonCode.AUDIENCE_MISMATCH),
        Arguments.of(
            Named.of(
                "expired",
                (UnaryOperator<TokenBuilder>)
                    b ->
                        b.claim("iat", Instant.parse("2026-03-01T10:00:00Z").getEpochSecond())
                            .claim("exp", Instant.parse("2026-03-01T11:00:00Z").getEpochSecond())),
            "times",
            ReasonCode.EXPIRED),
        Arguments.of(
            Named.of(
                "wrong issuer",
                (UnaryOperator<TokenBuilder>) b -> b.claim("iss", "https://evil.example")),
            "issuer",
            ReasonCode.ISSUER_MISMATCH),
        Arguments.of(
            Named.of(
                "bad signature",
                (UnaryOperator<TokenBuilder>) b -> b.signWith(OTHER_KEY).kid("issuer-key-1")),
            "signature",
            ReasonCode.SIGNATURE_INVALID),
        Arguments.of(
            Named.of("unknown kid", (UnaryOperator<TokenBuilder>) b -> b.kid("no-such-key")),
            "key",
            ReasonCode.KID_UNKNOWN),
        Arguments.of(
            Named.of("not a JWS", (UnaryOperator<TokenBuilder>) b -> b.rawSignature("a+b")),
            "structure",
            ReasonCode.MALFORMED_TOKEN),
        Arguments.of(
            Named.of("alg none", (UnaryOperator<TokenBuilder>) b -> b.header("alg", "none")),
            "header",
            ReasonCode.ALG_NOT_ALLOWED),
        Arguments.of(
            Named.of(
                "array-valued sub",
                (UnaryOperator<TokenBuilder>) b -> b.claim("sub", List.of("workload-a"))),
            "claim_types",
            ReasonCode.CLAIM_TYPE_INVALID),
        Arguments.of(
            Named.of(
                "claim missing for a transformation",
                (UnaryOperator<TokenBuilder>) b -> b.withoutClaim("team")),
            "transformation",
            ReasonCode.TRANSFORMATION_FAILED),
        Arguments.of(
            Named.of(
                "no matching rule", (UnaryOperator<TokenBuilder>) b -> b.claim("sub", "intruder")),
            "rule",
            ReasonCode.NO_MATCHING_RULE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTokens")
  void explainWhenTokenBadThenFailedCheckCarriesTheExchangesReasonAndDetail(
      UnaryOperator<TokenBuilder> change, String failedCheck, ReasonCode reason) {
    String token = token(change);

    ExchangeExplanation explanation = explainer.explain("wip_1", "svc_1", token);
    ExchangeOutcome outcome = exchange(token);

    assertThat(explanation.wouldSucceed()).isFalse();
    Check refusal = explanation.refusal().orElseThrow();
    assertThat(refusal.check()).isEqualTo(failedCheck);
    assertThat(refusal.reason()).contains(reason);
    AuditEvent.ExchangeAttempt audited = audit.attempts().getFirst();
    assertThat(outcome).isInstanceOf(ExchangeOutcome.Rejected.class);
    assertThat(audited.reason()).as("the exchange's own reason").contains(reason);
    assertThat(refusal.detail()).isEqualTo(audited.detail());
    assertThat(explanation.checks().stream().filter(c -> c.reason().isPresent()).map(Check::check))
        .as("exactly one check decides")
        .containsExactly(failedCheck);
    assertThat(explanation.checks().getLast().outcome())
        .as("what follows the refusal is not run")
        .isIn(Outcome.NOT_RUN, Outcome.FAILED);
  }

  @Test
  void explainWhenAudienceWrongThenAudienceLineNamesBothValuesAndEarlierChecksPassed() {
    ExchangeExplanation explanation =
        explainer.explain("wip_1", "svc_1", token(b -> b.claim("aud", "https://wrong.example")));

    Check audience = line(explanation, "audience");
    assertThat(audience.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(audience.detail()).contains("https://wrong.example").contains(Fixtures.AUDIENCE);
    for (String earlier :
        List.of("provider", "structure", "header", "key", "signature", "issuer")) {
      assertThat(line(explanation, earlier).outcome()).as(earlier).isEqualTo(Outcome.PASSED);
    }
    for (String later : List.of("claim_types", "times", "transformation", "rule")) {
      assertThat(line(explanation, later).outcome()).as(later).isEqualTo(Outcome.NOT_RUN);
    }
  }

  @Test
  void explainWhenTokenGoodThenEveryCheckPassesAndEachCandidateRowIsJudged() {
    ExchangeExplanation explanation = explainer.explain("wip_1", "svc_1", token(b -> b));

    assertThat(explanation.wouldSucceed()).isTrue();
    assertThat(explanation.ruleId()).contains("wifr_1");
    assertThat(explanation.checks())
        .extracting(Check::check, Check::subject, Check::outcome)
        .contains(
            org.assertj.core.groups.Tuple.tuple("transformation", "openai.team", Outcome.PASSED),
            org.assertj.core.groups.Tuple.tuple("candidate_rule", "wifr_other", Outcome.FAILED),
            org.assertj.core.groups.Tuple.tuple("matcher", "wifr_other sub", Outcome.FAILED),
            org.assertj.core.groups.Tuple.tuple("candidate_rule", "wifr_1", Outcome.PASSED),
            org.assertj.core.groups.Tuple.tuple("matcher", "wifr_1 sub", Outcome.PASSED),
            org.assertj.core.groups.Tuple.tuple("matcher", "wifr_1 openai.team", Outcome.PASSED),
            org.assertj.core.groups.Tuple.tuple("rule", "wifr_1", Outcome.PASSED),
            org.assertj.core.groups.Tuple.tuple("service_account", "svc_1", Outcome.PASSED));
    assertThat(line(explanation, "matcher").detail()).contains("'workload-a'");
    assertThat(line(explanation, "transformation").detail()).isEqualTo("= ml");
    assertThat(audit.events()).as("explain audits nothing itself").isEmpty();
  }

  @Test
  void explainWhenProviderProtectsFromReplayThenTheTokenCanStillBeExchangedOnce() {
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
    String once = token(b -> b);

    ExchangeExplanation first = explainer.explain("wip_1", "svc_1", once);
    ExchangeExplanation second = explainer.explain("wip_1", "svc_1", once);

    assertThat(first.wouldSucceed()).isTrue();
    assertThat(second.wouldSucceed()).as("explaining twice uses nothing up").isTrue();
    assertThat(line(first, "replay").outcome()).isEqualTo(Outcome.NOT_RUN);
    assertThat(((ReplayGuard) exchange.replayMemory()).size())
        .as("explain remembers nothing")
        .isZero();
    assertThat(exchange(once)).isInstanceOf(ExchangeOutcome.Issued.class);
    assertThat(exchange(once)).isInstanceOf(ExchangeOutcome.Rejected.class);
  }

  @Test
  void explainWhenProviderUnknownThenProviderCheckFailsWithTheExchangesReason() {
    ExchangeExplanation explanation = explainer.explain("wip_nope", "svc_1", token(b -> b));

    Check refusal = explanation.refusal().orElseThrow();
    assertThat(refusal.check()).isEqualTo("provider");
    assertThat(refusal.reason()).contains(ReasonCode.PROVIDER_UNKNOWN);
  }

  @Test
  void explainWhenDetailHoldsControlCharactersThenTheyAreReplaced() {
    assertThat(ExchangeExplainer.shown("a\u001b[31mb\nc")).isEqualTo("a?[31mb?c");
  }
}
