package dev.openwif.server.adversarial;

import dev.openwif.audit.ReasonCode;
import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.TestIssuer;
import dev.openwif.testkit.TestKeys;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Genuine tokens aimed at the wrong place, and policy confusion: Unicode look-alikes in {@code
 * sub}, raw {@code openai.*} claims posing as transformed attributes, matcher type confusion
 * ({@code true} vs {@code "true"}, {@code 1} vs {@code "1"}), a token for provider A sent to
 * provider B, disabled provider or rule, wrong or unusable service account, a key rotated out of
 * the uploaded JWKS.
 */
@ExtendWith(AdversarialCases.class)
class PolicyConfusionIT {
  @TempDir static Path dir;
  static Arena arena;
  static TestIssuer otherIssuer;
  static Federation other;
  static String typedAccount;
  static String tieredAccount;

  @BeforeAll
  static void start() {
    arena = Arena.start(dir).uploaded();
    Federation main = arena.main();
    typedAccount = arena.server.createServiceAccount(main.projectId(), "typed");
    arena.server.createRule(
        main.providerId(),
        Map.of("sub", Federation.SUBJECT, "admin", true, "level", 1),
        main.projectId(),
        typedAccount,
        Federation.allScopes());
    tieredAccount = arena.server.createServiceAccount(main.projectId(), "tiered");
    arena.server.createRule(
        main.providerId(),
        Map.of("sub", Federation.SUBJECT, "openai.tier", "gold"),
        main.projectId(),
        tieredAccount,
        Federation.allScopes());
    otherIssuer = TestIssuer.start();
    other = Federation.uploaded(arena.server, otherIssuer, Federation.allScopes());
  }

  @AfterAll
  static void stop() {
    otherIssuer.close();
    arena.close();
  }

  @ParameterizedTest(name = "sub {0}")
  @MethodSource("lookAlikes")
  void exchangeWhenSubIsALookAlikeThenNoMatchingRule(String name, String sub) {
    Map<String, Object> claims = arena.claims();
    claims.put("sub", sub);
    arena.assertTokenRefused(arena.issuer.token(claims), ReasonCode.NO_MATCHING_RULE);
  }

  static Stream<Arguments> lookAlikes() {
    return Stream.of(
        Arguments.of("with Cyrillic o (U+043E)", "w\u043erkload-1"),
        Arguments.of("with a Unicode hyphen (U+2010)", "workload\u20101"),
        Arguments.of("with a non-breaking hyphen (U+2011)", "workload\u20111"),
        Arguments.of("in fullwidth letters", "\uff57\uff4f\uff52\uff4b\uff4c\uff4f\uff41\uff44-1"),
        Arguments.of("with a zero-width space", "workload-1\u200b"),
        Arguments.of("with a trailing space", "workload-1 "),
        Arguments.of("with a combining accent", "workload-1\u0301"),
        Arguments.of("with a right-to-left override", "\u202eworkload-1"),
        Arguments.of("in upper case", "WORKLOAD-1"),
        Arguments.of("with a NUL suffix", "workload-1\u0000"),
        Arguments.of("with a mathematical digit one (U+1D7CF)", "workload-\ud835\udfcf"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forgedAttributes")
  void exchangeWhenRawOpenaiClaimsPoseAsAttributesThenRefused(
      String name, String account, ReasonCode reason, Consumer<Map<String, Object>> mutation) {
    Map<String, Object> claims = arena.claims();
    mutation.accept(claims);
    arena.assertTokenRefused(
        arena.issuer.token(claims), arena.main().providerId(), resolve(account), reason);
  }

  static Stream<Arguments> forgedAttributes() {
    return Stream.of(
        Arguments.of(
            "raw claim openai.team next to a wrong team",
            "main",
            ReasonCode.NO_MATCHING_RULE,
            (Consumer<Map<String, Object>>)
                m -> {
                  m.put("team", "dev");
                  m.put("openai.team", "ml");
                }),
        Arguments.of(
            "nested claim openai: {team} next to a wrong team",
            "main",
            ReasonCode.NO_MATCHING_RULE,
            (Consumer<Map<String, Object>>)
                m -> {
                  m.put("team", "dev");
                  m.put("openai", Map.of("team", "ml"));
                }),
        Arguments.of(
            "raw claim openai.team without team (transformation fails)",
            "main",
            ReasonCode.TRANSFORMATION_FAILED,
            (Consumer<Map<String, Object>>)
                m -> {
                  m.remove("team");
                  m.put("openai.team", "ml");
                }),
        Arguments.of(
            "raw claim openai.tier for a matcher no transformation produces",
            "tiered",
            ReasonCode.NO_MATCHING_RULE,
            (Consumer<Map<String, Object>>) m -> m.put("openai.tier", "gold")),
        Arguments.of(
            "nested claim openai: {tier} for a matcher no transformation produces",
            "tiered",
            ReasonCode.NO_MATCHING_RULE,
            (Consumer<Map<String, Object>>) m -> m.put("openai", Map.of("tier", "gold"))),
        Arguments.of(
            "team as an array without ml (transformation yields a list)",
            "main",
            ReasonCode.NO_MATCHING_RULE,
            (Consumer<Map<String, Object>>) m -> m.put("team", List.of("dev"))),
        Arguments.of(
            "team as an object",
            "main",
            ReasonCode.TRANSFORMATION_FAILED,
            (Consumer<Map<String, Object>>) m -> m.put("team", Map.of("name", "ml"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("typeConfusion")
  void exchangeWhenMatcherTypeConfusedThenNoMatchingRule(String name, Object admin, Object level) {
    Map<String, Object> claims = arena.claims();
    claims.put("admin", admin);
    claims.put("level", level);
    arena.assertTokenRefused(
        arena.issuer.token(claims),
        arena.main().providerId(),
        typedAccount,
        ReasonCode.NO_MATCHING_RULE);
  }

  static Stream<Arguments> typeConfusion() {
    return Stream.of(
        Arguments.of("admin \"true\" (string) for true", "true", 1),
        Arguments.of("admin 1 for true", 1, 1),
        Arguments.of("admin [\"true\"] for true", List.of("true"), 1),
        Arguments.of("admin \"TRUE\" for true", "TRUE", 1),
        Arguments.of("level \"1\" (string) for 1", true, "1"),
        Arguments.of("level true for 1", true, true),
        Arguments.of("level 1.5 for 1", true, new BigDecimal("1.5")),
        Arguments.of("level [\"1\"] for 1", true, List.of("1")),
        Arguments.of("admin false", false, 1));
  }

  @Test
  void exchangeWhenMatcherTypesExactThenIssued() {
    Map<String, Object> claims = arena.claims();
    claims.put("admin", true);
    claims.put("level", new BigDecimal("1.0"));
    arena.assertIssued(arena.issuer.token(claims), arena.main().providerId(), typedAccount);
  }

  @Test
  void exchangeWhenTokenOfProviderAGoesToProviderBWithOtherKeysThenKidUnknown() {
    arena.assertTokenRefused(
        arena.main().subjectToken(arena.clock),
        other.providerId(),
        other.accountId(),
        ReasonCode.KID_UNKNOWN);
  }

  @Test
  void exchangeWhenTokenOfProviderBGoesToProviderAWithOtherKeysThenKidUnknown() {
    arena.assertTokenRefused(
        other.subjectToken(arena.clock),
        arena.main().providerId(),
        arena.main().accountId(),
        ReasonCode.KID_UNKNOWN);
  }

  @Test
  void exchangeWhenTokenOfProviderAGoesToProviderBSharingItsKeysThenIssuerMismatch()
      throws Exception {
    Map<String, Object> verification =
        Map.of(
            "type",
            "uploaded_jwks",
            "jwks",
            LiveServer.JSON.readValue(arena.issuer.jwksJson(), Map.class));
    String provider =
        arena.server.createProvider(
            "shared-keys-" + System.nanoTime(),
            otherIssuer.issuer(),
            Federation.AUDIENCE,
            verification,
            List.of(Map.of("attribute", "team", "expression", "assertion.team")));
    arena.server.createRule(
        provider,
        Map.of("sub", Federation.SUBJECT),
        arena.main().projectId(),
        arena.main().accountId(),
        Federation.allScopes());
    arena.assertTokenRefused(
        arena.main().subjectToken(arena.clock),
        provider,
        arena.main().accountId(),
        ReasonCode.ISSUER_MISMATCH);
  }

  @Test
  void exchangeWhenTokenOfProviderAGoesToProviderBOfSameIssuerOtherAudienceThenAudienceMismatch()
      throws Exception {
    Map<String, Object> verification =
        Map.of(
            "type",
            "uploaded_jwks",
            "jwks",
            LiveServer.JSON.readValue(arena.issuer.jwksJson(), Map.class));
    String provider =
        arena.server.createProvider(
            "same-issuer-" + System.nanoTime(),
            arena.issuer.issuer(),
            "audience-of-b",
            verification,
            List.of());
    arena.server.createRule(
        provider,
        Map.of("sub", Federation.SUBJECT),
        arena.main().projectId(),
        arena.main().accountId(),
        Federation.allScopes());
    arena.assertTokenRefused(
        arena.main().subjectToken(arena.clock),
        provider,
        arena.main().accountId(),
        ReasonCode.AUDIENCE_MISMATCH);
  }

  @Test
  void exchangeWhenIssuerAForgesIssuerBThenKidUnknownAtB() {
    Map<String, Object> claims = arena.claims();
    claims.put("iss", otherIssuer.issuer());
    arena.assertTokenRefused(
        arena.issuer.token(claims), other.providerId(), other.accountId(), ReasonCode.KID_UNKNOWN);
  }

  @Test
  void exchangeWhenIssuerAForgesIssuerAndKidOfBThenSignatureInvalid() {
    Map<String, Object> claims = other.claims(arena.clock);
    String token =
        arena.issuer.tokenBuilder().claims(claims).kid(otherIssuer.currentKey().getKeyID()).build();
    arena.assertTokenRefused(
        token, other.providerId(), other.accountId(), ReasonCode.SIGNATURE_INVALID);
  }

  @Test
  void exchangeWhenProviderBTokenAsksForProviderAAccountThenNoMatchingRule() {
    arena.assertTokenRefused(
        other.subjectToken(arena.clock),
        other.providerId(),
        arena.main().accountId(),
        ReasonCode.NO_MATCHING_RULE);
  }

  @Test
  void exchangeWhenProviderBTokenGoesToBThenIssued() {
    arena.assertIssued(other.subjectToken(arena.clock), other.providerId(), other.accountId());
  }

  @Test
  void exchangeWhenProviderDisabledThenInvalidTarget() {
    Federation fed = Federation.uploaded(arena.server, arena.issuer, Federation.allScopes());
    arena.assertIssued(fed.subjectToken(arena.clock), fed.providerId(), fed.accountId());
    arena.server.updateProvider(fed.providerId(), Map.of("enabled", false));
    arena.assertRefused(
        fed.exchangeParams(fed.subjectToken(arena.clock)),
        400,
        "invalid_target",
        ReasonCode.PROVIDER_DISABLED);
  }

  @Test
  void exchangeWhenProviderUnknownThenInvalidTarget() {
    arena.assertRefused(
        LiveServer.exchangeParams(
            arena.main().subjectToken(arena.clock), "wip_does_not_exist", arena.main().accountId()),
        400,
        "invalid_target",
        ReasonCode.PROVIDER_UNKNOWN);
  }

  @Test
  void exchangeWhenRuleDisabledThenNoMatchingRule() {
    Federation fed = Federation.uploaded(arena.server, arena.issuer, Federation.allScopes());
    arena.server.updateRule(fed.providerId(), fed.ruleId(), Map.of("enabled", false));
    arena.assertTokenRefused(
        fed.subjectToken(arena.clock),
        fed.providerId(),
        fed.accountId(),
        ReasonCode.NO_MATCHING_RULE);
  }

  @Test
  void exchangeWhenServiceAccountNotMappedThenNoMatchingRule() {
    String stranger =
        arena.server.createServiceAccount(
            arena.server.createProject("elsewhere-" + System.nanoTime()), "x");
    arena.assertTokenRefused(
        arena.main().subjectToken(arena.clock),
        arena.main().providerId(),
        stranger,
        ReasonCode.NO_MATCHING_RULE);
  }

  @Test
  void exchangeWhenServiceAccountUnknownThenNoMatchingRule() {
    arena.assertTokenRefused(
        arena.main().subjectToken(arena.clock),
        arena.main().providerId(),
        "svc_acct_nope",
        ReasonCode.NO_MATCHING_RULE);
  }

  @Test
  void exchangeWhenProjectArchivedThenServiceAccountUnknown() {
    Federation fed = Federation.uploaded(arena.server, arena.issuer, Federation.allScopes());
    arena.server.adminOk("POST", "/projects/" + fed.projectId() + "/archive", Map.of());
    arena.assertTokenRefused(
        fed.subjectToken(arena.clock),
        fed.providerId(),
        fed.accountId(),
        ReasonCode.SERVICE_ACCOUNT_UNKNOWN);
  }

  @Test
  void exchangeWhenKeyRotatedOutOfUploadedJwksThenKidUnknown() throws Exception {
    Federation fed = Federation.uploaded(arena.server, arena.issuer, Federation.allScopes());
    String before = fed.subjectToken(arena.clock);
    arena.assertIssued(before, fed.providerId(), fed.accountId());
    String newJwks = new com.nimbusds.jose.jwk.JWKSet(TestKeys.rsa().toPublicJWK()).toString();
    Map<String, Object> verification = new LinkedHashMap<>();
    verification.put("type", "uploaded_jwks");
    verification.put("jwks", LiveServer.JSON.readValue(newJwks, Map.class));
    arena.server.updateProvider(fed.providerId(), Map.of("verification", verification));
    arena.assertTokenRefused(
        fed.subjectToken(arena.clock), fed.providerId(), fed.accountId(), ReasonCode.KID_UNKNOWN);
  }

  private static String resolve(String account) {
    return switch (account) {
      case "main" -> arena.main().accountId();
      case "tiered" -> tieredAccount;
      default -> typedAccount;
    };
  }
}
