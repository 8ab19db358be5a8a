package dev.openwif.server.adversarial;

import dev.openwif.audit.ReasonCode;
import dev.openwif.server.sts.Federation;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Genuinely signed subject tokens whose registered claims are wrong (RFC 7519 §4.1 as SECURITY.md
 * tightens it): {@code iss} variants (trailing slash, case, scheme, prefix, suffix), {@code aud}
 * missing/wrong/arrays, {@code exp} missing/past/string/float/huge, {@code nbf} and {@code iat} in
 * the future, lifetime over the 24 h cap, registered claims of the wrong JSON type ({@code sub} an
 * array, {@code email_verified} a string); plus the accepted edge cases (audience array containing
 * the right one, fractional {@code exp}, {@code exp} within the 60 s leeway).
 */
@ExtendWith(AdversarialCases.class)
class ClaimValidationIT {
  @TempDir static Path dir;
  static Arena arena;

  @BeforeAll
  static void start() {
    arena = Arena.start(dir).uploaded();
  }

  @AfterAll
  static void stop() {
    arena.close();
  }

  /** A case that changes the valid claims; {@code now} is the current Unix time in seconds. */
  record ClaimCase(String name, ReasonCode reason, Mutation mutation) {
    @Override
    public String toString() {
      return name;
    }
  }

  @FunctionalInterface
  interface Mutation {
    void apply(Map<String, Object> claims, long now, String issuer);
  }

  private static ClaimCase c(String name, ReasonCode reason, Mutation mutation) {
    return new ClaimCase(name, reason, mutation);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedClaims")
  void exchangeWhenClaimInvalidThenRefused(ClaimCase c) {
    Map<String, Object> claims = arena.claims();
    c.mutation().apply(claims, arena.clock.instant().getEpochSecond(), arena.issuer.issuer());
    arena.assertTokenRefused(arena.issuer.token(claims), c.reason());
  }

  static Stream<ClaimCase> refusedClaims() {
    return Stream.of(
        // issuer (compared byte for byte with the provider's)
        c(
            "iss with a trailing slash",
            ReasonCode.ISSUER_MISMATCH,
            (m, now, iss) -> m.put("iss", iss + "/")),
        c(
            "iss in upper case",
            ReasonCode.ISSUER_MISMATCH,
            (m, now, iss) -> m.put("iss", iss.toUpperCase(java.util.Locale.ROOT))),
        c(
            "iss https instead of http",
            ReasonCode.ISSUER_MISMATCH,
            (m, now, iss) -> m.put("iss", iss.replace("http://", "https://"))),
        c(
            "iss with the provider's issuer as a prefix (path)",
            ReasonCode.ISSUER_MISMATCH,
            (m, now, iss) -> m.put("iss", iss + "/tenant")),
        c(
            "iss with the provider's issuer as a prefix (host)",
            ReasonCode.ISSUER_MISMATCH,
            (m, now, iss) -> m.put("iss", iss + ".attacker.example")),
        c(
            "iss with the provider's issuer as a suffix",
            ReasonCode.ISSUER_MISMATCH,
            (m, now, iss) -> m.put("iss", "https://attacker.example/" + iss)),
        c(
            "iss with trailing whitespace",
            ReasonCode.ISSUER_MISMATCH,
            (m, now, iss) -> m.put("iss", iss + " ")),
        c(
            "iss naming localhost instead of 127.0.0.1",
            ReasonCode.ISSUER_MISMATCH,
            (m, now, iss) -> m.put("iss", iss.replace("127.0.0.1", "localhost"))),
        c("iss missing", ReasonCode.ISSUER_MISMATCH, (m, now, iss) -> m.remove("iss")),
        c(
            "iss as an array holding the issuer",
            ReasonCode.ISSUER_MISMATCH,
            (m, now, iss) -> m.put("iss", List.of(iss))),
        c("iss null", ReasonCode.ISSUER_MISMATCH, (m, now, iss) -> m.put("iss", null)),
        // audience
        c("aud missing", ReasonCode.AUDIENCE_MISMATCH, (m, now, iss) -> m.remove("aud")),
        c(
            "aud wrong",
            ReasonCode.AUDIENCE_MISMATCH,
            (m, now, iss) -> m.put("aud", "another-service")),
        c(
            "aud in another case",
            ReasonCode.AUDIENCE_MISMATCH,
            (m, now, iss) -> m.put("aud", Federation.AUDIENCE.toUpperCase(java.util.Locale.ROOT))),
        c(
            "aud with the right one as a prefix",
            ReasonCode.AUDIENCE_MISMATCH,
            (m, now, iss) -> m.put("aud", Federation.AUDIENCE + "-evil")),
        c(
            "aud array without the right one",
            ReasonCode.AUDIENCE_MISMATCH,
            (m, now, iss) -> m.put("aud", List.of("a", "b"))),
        c(
            "aud empty array",
            ReasonCode.AUDIENCE_MISMATCH,
            (m, now, iss) -> m.put("aud", List.of())),
        c(
            "aud array with a non-string next to the right one",
            ReasonCode.AUDIENCE_MISMATCH,
            (m, now, iss) -> m.put("aud", List.of(Federation.AUDIENCE, 1))),
        c(
            "aud nested array holding the right one",
            ReasonCode.AUDIENCE_MISMATCH,
            (m, now, iss) -> m.put("aud", List.of(List.of(Federation.AUDIENCE)))),
        c("aud a number", ReasonCode.AUDIENCE_MISMATCH, (m, now, iss) -> m.put("aud", 42)),
        // exp
        c("exp missing", ReasonCode.EXP_MISSING, (m, now, iss) -> m.remove("exp")),
        c("exp an hour past", ReasonCode.EXPIRED, (m, now, iss) -> m.put("exp", now - 3600)),
        c(
            "exp just past the 60 s leeway",
            ReasonCode.EXPIRED,
            (m, now, iss) -> {
              m.put("iat", now - 600);
              m.put("exp", now - 61);
            }),
        c(
            "exp a fractional past time",
            ReasonCode.EXPIRED,
            (m, now, iss) -> m.put("exp", new BigDecimal((now - 3600) + ".5"))),
        c(
            "exp as a string",
            ReasonCode.EXP_INVALID,
            (m, now, iss) -> m.put("exp", Long.toString(now + 600))),
        c("exp null", ReasonCode.EXP_INVALID, (m, now, iss) -> m.put("exp", null)),
        c("exp a boolean", ReasonCode.EXP_INVALID, (m, now, iss) -> m.put("exp", true)),
        c(
            "exp huge (1e20)",
            ReasonCode.EXP_INVALID,
            (m, now, iss) -> m.put("exp", new BigDecimal("1e20"))),
        c(
            "exp Long.MAX_VALUE",
            ReasonCode.EXP_INVALID,
            (m, now, iss) -> m.put("exp", Long.MAX_VALUE)),
        c("exp negative", ReasonCode.EXP_INVALID, (m, now, iss) -> m.put("exp", -1)),
        c(
            "exp before iat",
            ReasonCode.EXP_INVALID,
            (m, now, iss) -> {
              m.put("iat", now + 20);
              m.put("exp", now + 10);
            }),
        // nbf and iat
        c("nbf an hour ahead", ReasonCode.NOT_YET_VALID, (m, now, iss) -> m.put("nbf", now + 3600)),
        c(
            "nbf just past the leeway",
            ReasonCode.NOT_YET_VALID,
            (m, now, iss) -> m.put("nbf", now + 120)),
        c(
            "nbf as a string",
            ReasonCode.NBF_INVALID,
            (m, now, iss) -> m.put("nbf", Long.toString(now))),
        c(
            "iat an hour ahead",
            ReasonCode.IAT_IN_FUTURE,
            (m, now, iss) -> {
              m.put("iat", now + 3600);
              m.put("exp", now + 7200);
            }),
        c("iat missing", ReasonCode.IAT_MISSING, (m, now, iss) -> m.remove("iat")),
        c(
            "iat as a string",
            ReasonCode.IAT_INVALID,
            (m, now, iss) -> m.put("iat", Long.toString(now))),
        // lifetime cap (24 h)
        c(
            "lifetime 25 h from now",
            ReasonCode.LIFETIME_TOO_LONG,
            (m, now, iss) -> m.put("exp", now + 25 * 3600)),
        c(
            "lifetime 25 h, issued 23 h ago",
            ReasonCode.LIFETIME_TOO_LONG,
            (m, now, iss) -> {
              m.put("iat", now - 23 * 3600);
              m.put("exp", now + 2 * 3600);
            }),
        c(
            "lifetime 10 years",
            ReasonCode.LIFETIME_TOO_LONG,
            (m, now, iss) -> m.put("exp", now + 10L * 365 * 86400)),
        // registered claims are typed: the rule matches sub = workload-1, and an array holding
        // it must not satisfy that matcher through the any-element rule of custom claims
        c(
            "sub an array holding the matched subject",
            ReasonCode.CLAIM_TYPE_INVALID,
            (m, now, iss) -> m.put("sub", java.util.List.of(m.get("sub")))),
        c("sub a number", ReasonCode.CLAIM_TYPE_INVALID, (m, now, iss) -> m.put("sub", 1)),
        c(
            "email_verified the string true",
            ReasonCode.CLAIM_TYPE_INVALID,
            (m, now, iss) -> m.put("email_verified", "true")),
        c(
            "jti an array",
            ReasonCode.CLAIM_TYPE_INVALID,
            (m, now, iss) -> m.put("jti", java.util.List.of("a"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptedEdges")
  void exchangeWhenClaimEdgeIsValidThenIssued(String name, Consumer<Map<String, Object>> mutation) {
    Map<String, Object> claims = arena.claims();
    mutation.accept(claims);
    arena.assertIssued(arena.issuer.token(claims));
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> acceptedEdges() {
    long now = java.time.Instant.now().getEpochSecond();
    return Stream.of(
        org.junit.jupiter.params.provider.Arguments.of(
            "aud array containing the right one",
            (Consumer<Map<String, Object>>)
                m -> m.put("aud", List.of("other", Federation.AUDIENCE))),
        org.junit.jupiter.params.provider.Arguments.of(
            "exp fractional, in the future",
            (Consumer<Map<String, Object>>) m -> m.put("exp", new BigDecimal((now + 600) + ".25"))),
        org.junit.jupiter.params.provider.Arguments.of(
            "exp 30 s past, within the 60 s leeway",
            (Consumer<Map<String, Object>>)
                m -> {
                  m.put("iat", now - 600);
                  m.put("exp", now - 30);
                }),
        org.junit.jupiter.params.provider.Arguments.of(
            "lifetime exactly 24 h",
            (Consumer<Map<String, Object>>)
                m -> {
                  m.put("iat", now);
                  m.put("exp", now + 24 * 3600);
                }));
  }
}
