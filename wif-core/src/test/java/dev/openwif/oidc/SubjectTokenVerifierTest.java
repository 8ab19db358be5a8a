package dev.openwif.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.openwif.audit.ReasonCode;
import dev.openwif.testkit.MutableClock;
import dev.openwif.testkit.TestKeys;
import dev.openwif.testkit.TokenBuilder;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SubjectTokenVerifierTest {
  static final String ISS = "https://issuer.example";
  static final String AUD = "openwif-test";
  static final MutableClock CLOCK = MutableClock.fixed();
  static final long NOW = CLOCK.instant().getEpochSecond();
  static final RSAKey RSA = TestKeys.rsa("rsa-1");
  static final RSAKey RSA_UNPUBLISHED = TestKeys.rsa("rsa-1");
  static final ECKey EC256 = TestKeys.ec256("ec-256");
  static final ECKey EC384 = ecWithKid(TestKeys.ec384(), "ec-384");
  static final OctetKeyPair ED = TestKeys.ed25519("ed-1");
  static final RSAKey RSA_BOUND_512 = withAlg(TestKeys.rsa("rsa-bound-512"), "RS512");
  static final RSAKey RSA_ENC = encKey(TestKeys.rsa("rsa-enc"));
  static final RSAKey RSA_WEAK = weakKey();
  static final KeySource KEYS =
      new UploadedJwksKeySource(
          new JWKSet(List.<JWK>of(RSA, EC256, EC384, ED, RSA_BOUND_512, RSA_ENC, RSA_WEAK))
              .toPublicJWKSet()
              .toString());
  static final String P256_N = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

  private final SubjectTokenVerifier verifier = new SubjectTokenVerifier(CLOCK);
  private final VerificationPolicy policy = VerificationPolicy.defaults(ISS, AUD);

  record Case(String name, Supplier<String> token, ReasonCode expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Map<String, Object> claims() {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISS);
    claims.put("aud", AUD);
    claims.put("sub", "workload-1");
    claims.put("iat", NOW);
    claims.put("exp", NOW + 3600);
    return claims;
  }

  static Map<String, Object> claimsWith(String name, Object value) {
    Map<String, Object> claims = claims();
    claims.put(name, value);
    return claims;
  }

  static Map<String, Object> claimsWithout(String name) {
    Map<String, Object> claims = claims();
    claims.remove(name);
    return claims;
  }

  static TokenBuilder rsa() {
    return TokenBuilder.signedBy(RSA).claims(claims());
  }

  static String b64(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  static String validPayloadJson() {
    return "{\"iss\":\""
        + ISS
        + "\",\"aud\":\""
        + AUD
        + "\",\"sub\":\"w\",\"iat\":"
        + NOW
        + ",\"exp\":"
        + (NOW + 3600)
        + "}";
  }

  static Case reject(String name, Supplier<String> token, ReasonCode expected) {
    return new Case(name, token, expected);
  }

  static Stream<Case> structureCases() {
    return Stream.of(
        reject("empty token", () -> "", ReasonCode.MALFORMED_TOKEN),
        reject(
            "over 16 KiB",
            () -> rsa().claim("pad", "x".repeat(17_000)).build(),
            ReasonCode.TOKEN_TOO_LARGE),
        reject(
            "two segments",
            () -> rsa().encodedHeader() + "." + rsa().encodedPayload(),
            ReasonCode.MALFORMED_TOKEN),
        reject("four segments", () -> rsa().build() + ".AAAA", ReasonCode.MALFORMED_TOKEN),
        reject(
            "JWE five segments",
            () -> b64("{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\"}") + ".AAAA.AAAA.AAAA.AAAA",
            ReasonCode.UNSUPPORTED_TOKEN_FORMAT),
        reject(
            "padding in a segment",
            () -> {
              String[] p = rsa().build().split("\\.");
              return p[0] + "==." + p[1] + "." + p[2];
            },
            ReasonCode.MALFORMED_TOKEN),
        reject(
            "standard base64 alphabet",
            () -> {
              String[] p = rsa().build().split("\\.");
              return p[0] + "." + p[1] + "." + p[2].replace('-', '+').replace('_', '/') + "+/";
            },
            ReasonCode.MALFORMED_TOKEN),
        reject(
            "whitespace in a segment",
            () -> {
              String[] p = rsa().build().split("\\.");
              return p[0] + "." + p[1] + " ." + p[2];
            },
            ReasonCode.MALFORMED_TOKEN),
        reject(
            "non-canonical trailing bits",
            () ->
                TokenBuilder.signedBy(RSA)
                    .rawHeaderJson("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}")
                    .claims(claims())
                    .build()
                    .replaceFirst("^(.*?)(\\w)\\.", "$1$2.")
                    .transform(SubjectTokenVerifierTest::flipLastHeaderBit),
            ReasonCode.MALFORMED_TOKEN),
        reject(
            "header not JSON",
            () -> rsa().rawHeaderJson("alg=RS256").build(),
            ReasonCode.MALFORMED_TOKEN),
        reject(
            "header a JSON array",
            () -> rsa().rawHeaderJson("[\"RS256\"]").build(),
            ReasonCode.MALFORMED_TOKEN),
        reject(
            "header with trailing text",
            () -> rsa().rawHeaderJson("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}x").build(),
            ReasonCode.MALFORMED_TOKEN),
        reject(
            "payload not UTF-8",
            () ->
                rsa().encodedHeader()
                    + "."
                    + Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'})
                    + ".AAAA",
            ReasonCode.MALFORMED_TOKEN),
        reject(
            "payload a JSON string",
            () -> rsa().rawPayloadJson("\"hello\"").build(),
            ReasonCode.MALFORMED_TOKEN),
        reject(
            "duplicate alg in header",
            () ->
                rsa()
                    .rawHeaderJson("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"alg\":\"RS256\"}")
                    .build(),
            ReasonCode.DUPLICATE_JSON_MEMBER),
        reject(
            "duplicate aud in payload",
            () ->
                rsa()
                    .rawPayloadJson(validPayloadJson().replace("}", ",\"aud\":\"other\"}"))
                    .build(),
            ReasonCode.DUPLICATE_JSON_MEMBER),
        reject(
            "duplicate hidden by an escape",
            () ->
                rsa()
                    .rawPayloadJson(validPayloadJson().replace("}", ",\"\\u0061ud\":\"other\"}"))
                    .build(),
            ReasonCode.DUPLICATE_JSON_MEMBER),
        reject(
            "duplicate inside a nested object",
            () ->
                rsa()
                    .rawPayloadJson(
                        validPayloadJson().replace("}", ",\"google\":{\"a\":1,\"a\":2}}"))
                    .build(),
            ReasonCode.DUPLICATE_JSON_MEMBER));
  }

  /**
   * Re-encodes the header segment with a non-zero unused trailing bit (decodes to the same bytes).
   */
  static String flipLastHeaderBit(String token) {
    String[] p = token.split("\\.");
    String header = p[0];
    if (header.length() % 4 == 0) {
      throw new IllegalStateException("test header has no unused bits");
    }
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char last = header.charAt(header.length() - 1);
    char bumped = alphabet.charAt(alphabet.indexOf(last) + 1);
    return header.substring(0, header.length() - 1) + bumped + "." + p[1] + "." + p[2];
  }

  static Stream<Case> headerCases() {
    byte[] rsaPublicBytes = RSA.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
    return Stream.of(
        reject(
            "alg none, unsigned", () -> rsa().alg("none").unsigned(), ReasonCode.ALG_NOT_ALLOWED),
        reject(
            "alg None spelled differently",
            () -> rsa().alg("None").unsigned(),
            ReasonCode.ALG_NOT_ALLOWED),
        reject(
            "alg HS256 keyed with the RSA public key",
            () -> rsa().alg("HS256").hmacSecret(rsaPublicBytes).build(),
            ReasonCode.ALG_NOT_ALLOWED),
        reject(
            "alg missing",
            () -> rsa().withoutHeader("alg").signingAlg("RS256").build(),
            ReasonCode.ALG_NOT_ALLOWED),
        reject(
            "alg lower case",
            () -> rsa().alg("rs256").signingAlg("RS256").build(),
            ReasonCode.ALG_NOT_ALLOWED),
        reject(
            "alg ES512 not allowed",
            () -> rsa().alg("ES512").signingAlg("RS256").build(),
            ReasonCode.ALG_NOT_ALLOWED),
        reject(
            "alg not a string",
            () -> rsa().header("alg", 256).signingAlg("RS256").build(),
            ReasonCode.ALG_NOT_ALLOWED),
        reject(
            "enc header (JWE)",
            () -> rsa().header("enc", "A256GCM").build(),
            ReasonCode.UNSUPPORTED_TOKEN_FORMAT),
        reject(
            "cty JWT (nested)",
            () -> rsa().header("cty", "JWT").build(),
            ReasonCode.UNSUPPORTED_TOKEN_FORMAT),
        reject(
            "cty jwt lower case (nested)",
            () -> rsa().header("cty", "jwt").build(),
            ReasonCode.UNSUPPORTED_TOKEN_FORMAT),
        reject(
            "crit empty", () -> rsa().header("crit", List.of()).build(), ReasonCode.CRIT_PRESENT),
        reject(
            "crit exp",
            () -> rsa().header("crit", List.of("exp")).header("exp", 1).build(),
            ReasonCode.CRIT_PRESENT),
        reject(
            "b64 false with crit",
            () -> rsa().header("b64", false).header("crit", List.of("b64")).build(),
            ReasonCode.CRIT_PRESENT),
        reject(
            "jku header",
            () -> rsa().header("jku", "https://evil.example/jwks").build(),
            ReasonCode.FORBIDDEN_HEADER),
        reject(
            "x5u header",
            () -> rsa().header("x5u", "https://evil.example/cert").build(),
            ReasonCode.FORBIDDEN_HEADER),
        reject(
            "x5c header",
            () -> rsa().header("x5c", List.of("MIIB")).build(),
            ReasonCode.FORBIDDEN_HEADER),
        reject(
            "embedded jwk header",
            () ->
                rsa()
                    .header("jwk", RSA_UNPUBLISHED.toPublicJWK().toJSONObject())
                    .signWith(RSA_UNPUBLISHED)
                    .build(),
            ReasonCode.FORBIDDEN_HEADER),
        reject("kid missing", () -> rsa().withoutHeader("kid").build(), ReasonCode.KID_MISSING),
        reject("kid empty", () -> rsa().kid("").build(), ReasonCode.KID_MISSING),
        reject("kid a number", () -> rsa().header("kid", 1).build(), ReasonCode.KID_MISSING),
        reject("kid unknown", () -> rsa().kid("nope").build(), ReasonCode.KID_UNKNOWN));
  }

  static Stream<Case> keyAndSignatureCases() {
    return Stream.of(
        reject(
            "ES256 header naming an RSA key",
            () -> TokenBuilder.signedBy(EC256).kid("rsa-1").claims(claims()).build(),
            ReasonCode.KEY_ALG_MISMATCH),
        reject(
            "RS256 header naming an EC key",
            () -> rsa().kid("ec-256").build(),
            ReasonCode.KEY_ALG_MISMATCH),
        reject(
            "ES384 header naming a P-256 key",
            () ->
                TokenBuilder.signedBy(EC256).alg("ES384").signWith(EC384).claims(claims()).build(),
            ReasonCode.KEY_ALG_MISMATCH),
        reject(
            "EdDSA header naming an RSA key",
            () -> TokenBuilder.signedBy(ED).kid("rsa-1").claims(claims()).build(),
            ReasonCode.KEY_ALG_MISMATCH),
        reject(
            "JWK alg RS512 binds, token RS256",
            () -> TokenBuilder.signedBy(RSA_BOUND_512).claims(claims()).build(),
            ReasonCode.KEY_ALG_MISMATCH),
        reject(
            "JWK use enc",
            () -> TokenBuilder.signedBy(RSA_ENC).claims(claims()).build(),
            ReasonCode.KEY_USE_NOT_SIG),
        reject(
            "RSA key under 2048 bits",
            () -> TokenBuilder.signedBy(RSA_WEAK).claims(claims()).rawSignature("AAAA").build(),
            ReasonCode.KEY_ALG_MISMATCH),
        reject(
            "signed by another key with our kid",
            () -> rsa().signWith(RSA_UNPUBLISHED).build(),
            ReasonCode.SIGNATURE_INVALID),
        reject(
            "header RS256, signed PS256",
            () -> rsa().signingAlg("PS256").build(),
            ReasonCode.SIGNATURE_INVALID),
        reject(
            "payload swapped after signing",
            () -> {
              String[] p = rsa().build().split("\\.");
              return p[0]
                  + "."
                  + b64(validPayloadJson().replace("\"w\"", "\"admin\""))
                  + "."
                  + p[2];
            },
            ReasonCode.SIGNATURE_INVALID),
        reject(
            "empty signature", () -> rsa().rawSignature("").build(), ReasonCode.SIGNATURE_INVALID),
        reject(
            "ES256 signature of zeros",
            () ->
                TokenBuilder.signedBy(EC256)
                    .claims(claims())
                    .rawSignature(
                        Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]))
                    .build(),
            ReasonCode.SIGNATURE_INVALID),
        reject(
            "ES256 signature r = s = n",
            () ->
                TokenBuilder.signedBy(EC256)
                    .claims(claims())
                    .rawSignature(
                        Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(HexFormat.of().parseHex(P256_N + P256_N)))
                    .build(),
            ReasonCode.SIGNATURE_INVALID),
        reject(
            "ES256 signature too short",
            () -> TokenBuilder.signedBy(EC256).claims(claims()).rawSignature("AAAA").build(),
            ReasonCode.SIGNATURE_INVALID),
        reject(
            "EdDSA signature by another key",
            () -> TokenBuilder.signedBy(ED).signWith(TestKeys.ed25519()).claims(claims()).build(),
            ReasonCode.SIGNATURE_INVALID));
  }

  static Stream<Case> claimCases() {
    return Stream.of(
        reject(
            "iss different",
            () -> rsa().claim("iss", "https://evil.example").build(),
            ReasonCode.ISSUER_MISMATCH),
        reject(
            "iss with a trailing slash",
            () -> rsa().claim("iss", ISS + "/").build(),
            ReasonCode.ISSUER_MISMATCH),
        reject(
            "iss in other case",
            () -> rsa().claim("iss", ISS.toUpperCase(Locale.ROOT)).build(),
            ReasonCode.ISSUER_MISMATCH),
        reject(
            "iss missing",
            () -> TokenBuilder.signedBy(RSA).claims(claimsWithout("iss")).build(),
            ReasonCode.ISSUER_MISMATCH),
        reject(
            "iss an array",
            () -> rsa().claim("iss", List.of(ISS)).build(),
            ReasonCode.ISSUER_MISMATCH),
        reject(
            "aud different",
            () -> rsa().claim("aud", "other").build(),
            ReasonCode.AUDIENCE_MISMATCH),
        reject(
            "aud array without ours",
            () -> rsa().claim("aud", List.of("a", "b")).build(),
            ReasonCode.AUDIENCE_MISMATCH),
        reject(
            "aud array with a number",
            () -> rsa().claim("aud", List.of(AUD, 1)).build(),
            ReasonCode.AUDIENCE_MISMATCH),
        reject("aud a number", () -> rsa().claim("aud", 1).build(), ReasonCode.AUDIENCE_MISMATCH),
        reject(
            "aud missing",
            () -> TokenBuilder.signedBy(RSA).claims(claimsWithout("aud")).build(),
            ReasonCode.AUDIENCE_MISMATCH),
        reject(
            "aud prefix of ours",
            () -> rsa().claim("aud", AUD.substring(0, 5)).build(),
            ReasonCode.AUDIENCE_MISMATCH),
        reject(
            "exp missing",
            () -> TokenBuilder.signedBy(RSA).claims(claimsWithout("exp")).build(),
            ReasonCode.EXP_MISSING),
        reject(
            "exp null",
            () ->
                rsa()
                    .rawPayloadJson(validPayloadJson().replaceFirst("\"exp\":\\d+", "\"exp\":null"))
                    .build(),
            ReasonCode.EXP_INVALID),
        reject(
            "exp a string",
            () -> rsa().claim("exp", String.valueOf(NOW + 3600)).build(),
            ReasonCode.EXP_INVALID),
        reject("exp a boolean", () -> rsa().claim("exp", true).build(), ReasonCode.EXP_INVALID),
        reject("exp negative", () -> rsa().claim("exp", -1L).build(), ReasonCode.EXP_INVALID),
        reject(
            "exp beyond year 9999",
            () ->
                rsa()
                    .rawPayloadJson(
                        validPayloadJson().replaceFirst("\"exp\":\\d+", "\"exp\":1e400"))
                    .build(),
            ReasonCode.EXP_INVALID),
        reject(
            "expired beyond leeway",
            () -> rsa().claim("iat", NOW - 600).claim("exp", NOW - 61).build(),
            ReasonCode.EXPIRED),
        reject(
            "expired exactly at leeway",
            () -> rsa().claim("iat", NOW - 600).claim("exp", NOW - 60).build(),
            ReasonCode.EXPIRED),
        reject(
            "iat missing",
            () -> TokenBuilder.signedBy(RSA).claims(claimsWithout("iat")).build(),
            ReasonCode.IAT_MISSING),
        reject(
            "iat null",
            () ->
                rsa()
                    .rawPayloadJson(validPayloadJson().replaceFirst("\"iat\":\\d+", "\"iat\":null"))
                    .build(),
            ReasonCode.IAT_INVALID),
        reject("iat a string", () -> rsa().claim("iat", "now").build(), ReasonCode.IAT_INVALID),
        reject(
            "iat in the future beyond leeway",
            () -> rsa().claim("iat", NOW + 61).build(),
            ReasonCode.IAT_IN_FUTURE),
        reject(
            "nbf in the future beyond leeway",
            () -> rsa().claim("nbf", NOW + 61).build(),
            ReasonCode.NOT_YET_VALID),
        reject("nbf a string", () -> rsa().claim("nbf", "soon").build(), ReasonCode.NBF_INVALID),
        reject(
            "nbf null",
            () -> rsa().rawPayloadJson(validPayloadJson().replace("}", ",\"nbf\":null}")).build(),
            ReasonCode.NBF_INVALID),
        reject(
            "exp before iat",
            () -> rsa().claim("iat", NOW + 30).claim("exp", NOW + 20).build(),
            ReasonCode.EXP_INVALID),
        reject(
            "lifetime over 24 h",
            () -> rsa().claim("exp", NOW + 24 * 3600 + 1).build(),
            ReasonCode.LIFETIME_TOO_LONG),
        reject(
            "sub an array holding a string",
            () -> rsa().claim("sub", List.of("system:serviceaccount:prod:api")).build(),
            ReasonCode.CLAIM_TYPE_INVALID),
        reject(
            "sub a number", () -> rsa().claim("sub", 42L).build(), ReasonCode.CLAIM_TYPE_INVALID),
        reject(
            "sub null",
            () ->
                rsa()
                    .rawPayloadJson(validPayloadJson().replace("\"sub\":\"w\"", "\"sub\":null"))
                    .build(),
            ReasonCode.CLAIM_TYPE_INVALID),
        reject(
            "jti an object",
            () -> rsa().claim("jti", java.util.Map.of("id", "1")).build(),
            ReasonCode.CLAIM_TYPE_INVALID),
        reject(
            "azp a boolean", () -> rsa().claim("azp", true).build(), ReasonCode.CLAIM_TYPE_INVALID),
        reject(
            "email an array",
            () -> rsa().claim("email", List.of("a@example.com")).build(),
            ReasonCode.CLAIM_TYPE_INVALID),
        reject(
            "email_verified the string true",
            () -> rsa().claim("email_verified", "true").build(),
            ReasonCode.CLAIM_TYPE_INVALID),
        reject(
            "phone_number_verified a number",
            () -> rsa().claim("phone_number_verified", 1L).build(),
            ReasonCode.CLAIM_TYPE_INVALID));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"structureCases", "headerCases", "keyAndSignatureCases", "claimCases"})
  void verifyWhenRuleBrokenThenRejectedWithReason(Case c) {
    String token = c.token().get();
    assertThatThrownBy(() -> verifier.verify(token, policy, KEYS))
        .isInstanceOfSatisfying(
            TokenRejectedException.class,
            e -> {
              assertThat(e.reason()).as(e.detail()).isEqualTo(c.expected());
              assertThat(e.detail())
                  .isNotBlank()
                  .doesNotContain(token.length() > 20 ? token.substring(0, 20) : "\u0000");
              assertThat(e.getStackTrace()).isEmpty();
            });
  }

  static Stream<Case> acceptedCases() {
    Stream<Case> algs =
        Stream.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512")
            .map(alg -> new Case(alg, () -> rsa().alg(alg).build(), null));
    return Stream.concat(
        algs,
        Stream.of(
            new Case("ES256", () -> TokenBuilder.signedBy(EC256).claims(claims()).build(), null),
            new Case("ES384", () -> TokenBuilder.signedBy(EC384).claims(claims()).build(), null),
            new Case("EdDSA", () -> TokenBuilder.signedBy(ED).claims(claims()).build(), null),
            new Case(
                "JWK alg RS512 with an RS512 token",
                () -> TokenBuilder.signedBy(RSA_BOUND_512).alg("RS512").claims(claims()).build(),
                null),
            new Case(
                "aud array containing ours",
                () -> rsa().claim("aud", List.of("x", AUD)).build(),
                null),
            new Case(
                "expired within leeway",
                () -> rsa().claim("iat", NOW - 600).claim("exp", NOW - 59).build(),
                null),
            new Case(
                "iat in the future within leeway",
                () -> rsa().claim("iat", NOW + 60).build(),
                null),
            new Case(
                "nbf in the future within leeway",
                () -> rsa().claim("nbf", NOW + 60).build(),
                null),
            new Case(
                "lifetime exactly 24 h", () -> rsa().claim("exp", NOW + 24 * 3600).build(), null),
            new Case(
                "fractional exp",
                () ->
                    rsa()
                        .rawPayloadJson(
                            validPayloadJson().replaceFirst("\"exp\":(\\d+)", "\"exp\":$1.5"))
                        .build(),
                null),
            new Case("no typ header", () -> rsa().withoutHeader("typ").build(), null),
            new Case(
                "typed registered claims",
                () ->
                    rsa()
                        .claim("sub", "112233")
                        .claim("jti", "j-1")
                        .claim("azp", "client")
                        .claim("email", "a@example.com")
                        .claim("email_verified", true)
                        .build(),
                null),
            new Case(
                "custom array claim still allowed",
                () -> rsa().claim("groups", List.of("a", "b")).build(),
                null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptedCases")
  void verifyWhenTokenFollowsEveryRuleThenAccepted(Case c) {
    VerifiedSubjectToken verified = verifier.verify(c.token().get(), policy, KEYS);
    assertThat(verified.claims()).containsEntry("iss", ISS);
    assertThat(verified.issuedAt())
        .isEqualTo(
            java.time.Instant.ofEpochSecond(((Number) verified.claims().get("iat")).longValue()));
  }

  @Test
  void verifyWhenValidThenClaimsArePlainJavaValuesWithoutNulls() {
    String payload =
        validPayloadJson()
            .replace(
                "}",
                ",\"jti\":\"j-1\",\"n\":null,\"big\":12345678901234567890,\"f\":1.25,"
                    + "\"ok\":true,\"list\":[1,null,\"a\"],\"google\":{\"compute_engine\":{\"project_id\":\"p\",\"zone\":null}}}");
    VerifiedSubjectToken verified =
        verifier.verify(rsa().rawPayloadJson(payload).build(), policy, KEYS);

    assertThat(verified.alg()).isEqualTo("RS256");
    assertThat(verified.kid()).isEqualTo("rsa-1");
    assertThat(verified.jti()).contains("j-1");
    assertThat(verified.subject()).contains("w");
    assertThat(verified.expiresAt().getEpochSecond()).isEqualTo(NOW + 3600);
    assertThat(verified.claims())
        .doesNotContainKey("n")
        .containsEntry("iat", NOW)
        .containsEntry("big", new BigDecimal("12345678901234567890"))
        .containsEntry("f", new BigDecimal("1.25"))
        .containsEntry("ok", true)
        .containsEntry("list", List.of(1L, "a"))
        .containsEntry("google", Map.of("compute_engine", Map.of("project_id", "p")));
  }

  @Test
  void verifyWhenTokenIsExactlyTheSizeCapThenAccepted() {
    String token = rsa().claim("pad", "x".repeat(11_800)).build();
    VerificationPolicy exact =
        new VerificationPolicy(
            ISS, AUD, Duration.ofSeconds(60), Duration.ofHours(24), token.length());
    assertThat(token.length())
        .isGreaterThan(16_000)
        .isLessThanOrEqualTo(VerificationPolicy.DEFAULT_MAX_TOKEN_BYTES);
    assertThat(verifier.verify(token, exact, KEYS).claims()).containsKey("pad");
    assertThat(verifier.verify(token, policy, KEYS).claims()).containsKey("pad");
  }

  @Test
  void verifyWhenSizeCapLoweredThenLargerTokenRejected() {
    String token = rsa().build();
    VerificationPolicy small =
        new VerificationPolicy(
            ISS, AUD, Duration.ofSeconds(60), Duration.ofHours(24), token.length() - 1);
    assertThatThrownBy(() -> verifier.verify(token, small, KEYS))
        .isInstanceOfSatisfying(
            TokenRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.TOKEN_TOO_LARGE));
  }

  @Test
  void verifyWhenKeySourceUnavailableThenIssuerUnavailablePropagates() {
    KeySource down =
        kid -> {
          throw new IssuerUnavailableException("down");
        };
    assertThatThrownBy(() -> verifier.verify(rsa().build(), policy, down))
        .isInstanceOf(IssuerUnavailableException.class);
  }

  @Test
  void verifyWhenKidUnknownThenOtherKeysAreNotTried() {
    List<String> asked = new ArrayList<>();
    KeySource recording =
        kid -> {
          asked.add(kid);
          return Optional.empty();
        };
    assertThatThrownBy(() -> verifier.verify(rsa().kid("other").build(), policy, recording))
        .isInstanceOfSatisfying(
            TokenRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.KID_UNKNOWN));
    assertThat(asked).containsExactly("other");
  }

  @Test
  void jdkWhenEcdsaSignatureIsZeroThenRefusedByProvider() throws Exception {
    // CVE-2022-21449 ("psychic signatures"): this JDK must refuse r = s = 0 itself.
    var signature = java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
    signature.initVerify(EC256.toECPublicKey());
    signature.update("x".getBytes(StandardCharsets.US_ASCII));
    boolean accepted;
    try {
      accepted = signature.verify(new byte[64]);
    } catch (java.security.SignatureException e) {
      accepted = false;
    }
    assertThat(accepted).isFalse();
  }

  private static ECKey ecWithKid(ECKey key, String kid) {
    return new ECKey.Builder(key).keyID(kid).build();
  }

  private static RSAKey withAlg(RSAKey key, String alg) {
    return new RSAKey.Builder(key).algorithm(JWSAlgorithm.parse(alg)).build();
  }

  private static RSAKey encKey(RSAKey key) {
    return new RSAKey.Builder(key).keyUse(KeyUse.ENCRYPTION).build();
  }

  private static RSAKey weakKey() {
    try {
      return new RSAKeyGenerator(1024, true).keyID("rsa-weak").keyUse(KeyUse.SIGNATURE).generate();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
