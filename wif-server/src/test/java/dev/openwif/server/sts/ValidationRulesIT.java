package dev.openwif.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import dev.openwif.testkit.TestKeys;
import dev.openwif.testkit.TokenBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of validation in SECURITY.md, end to end over HTTP: a subject token that breaks it
 * gets the wire status and OAuth error, and the audit log records the precise reason code. Keys are
 * uploaded as a JWKS (so each key property — type, bound {@code alg}, {@code use} — can be set up
 * exactly).
 */
class ValidationRulesIT {
  static final String ISS = "https://issuer.validation.example";
  static final String AUD = Federation.AUDIENCE;
  static final RSAKey RSA = TestKeys.rsa("rsa-1");
  static final RSAKey RSA_UNPUBLISHED = TestKeys.rsa("rsa-1");
  static final ECKey EC256 = TestKeys.ec256("ec-1");
  static final OctetKeyPair ED = TestKeys.ed25519("ed-1");
  static final RSAKey RSA_BOUND_512 =
      new RSAKey.Builder(TestKeys.rsa("rsa-512")).algorithm(JWSAlgorithm.RS512).build();
  static final RSAKey RSA_ENC =
      new RSAKey.Builder(TestKeys.rsa("rsa-enc")).keyUse(KeyUse.ENCRYPTION).build();

  @TempDir static Path dir;
  static LiveServer server;
  static String providerId;
  static String disabledProviderId;
  static String accountId;

  @BeforeAll
  static void start() throws Exception {
    server = LiveServer.start(dir);
    String project = server.createProject("validation");
    accountId = server.createServiceAccount(project, "workload");
    Map<String, Object> jwks =
        LiveServer.JSON.readValue(
            new JWKSet(List.<JWK>of(RSA, EC256, ED, RSA_BOUND_512)).toPublicJWKSet().toString(),
            new TypeReference<Map<String, Object>>() {});
    Map<String, Object> verification = Map.of("type", "uploaded_jwks", "jwks", jwks);
    List<Map<String, String>> team =
        List.of(Map.of("attribute", "team", "expression", "assertion.team"));
    providerId = server.createProvider("validation", ISS, AUD, verification, team);
    server.createRule(
        providerId,
        Map.of("sub", "workload-1", "openai.team", "ml"),
        project,
        accountId,
        Federation.allScopes());
    disabledProviderId = server.createProvider("validation-disabled", ISS, AUD, verification, team);
    server.updateProvider(disabledProviderId, Map.of("enabled", false));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /**
   * The admin API refuses to store a JWKS with a {@code use: enc} key, so this rule is met through
   * discovery: the issuer publishes such a key itself.
   */
  @Test
  void exchangeWhenDiscoveredKeyHasUseEncThen401AndKeyUseNotSig() {
    try (dev.openwif.testkit.TestIssuer issuer = dev.openwif.testkit.TestIssuer.start()) {
      issuer.addKey(RSA_ENC);
      String project = server.createProject("use-enc");
      String account = server.createServiceAccount(project, "workload");
      String provider =
          server.createProvider(
              "use-enc", issuer.issuer(), AUD, Map.of("type", "discovery"), List.of());
      server.createRule(
          provider, Map.of("sub", "workload-1"), project, account, Federation.allScopes());
      Map<String, Object> claims = claims();
      claims.put("iss", issuer.issuer());

      LiveServer.Reply reply =
          server.exchangeJson(
              LiveServer.exchangeParams(
                  TokenBuilder.signedBy(RSA_ENC).claims(claims).build(), provider, account));

      assertThat(reply.status()).isEqualTo(401);
      assertThat(reply.body().get("error").asText()).isEqualTo("invalid_grant");
      assertThat(server.lastExchangeEvent().get("reason_code").asText())
          .isEqualTo("key_use_not_sig");
    }
  }

  static long now() {
    return Instant.now().getEpochSecond();
  }

  static Map<String, Object> claims() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("iss", ISS);
    c.put("aud", AUD);
    c.put("sub", "workload-1");
    c.put("team", "ml");
    c.put("iat", now());
    c.put("exp", now() + 600);
    return c;
  }

  static Map<String, Object> claimsWithout(String name) {
    Map<String, Object> c = claims();
    c.remove(name);
    return c;
  }

  static TokenBuilder rsa() {
    return TokenBuilder.signedBy(RSA).claims(claims());
  }

  static String payloadJson() {
    try {
      return LiveServer.JSON.writeValueAsString(claims());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static Arguments refused(String name, Supplier<String> token, String reason) {
    return Arguments.of(Named.of(name, token), reason);
  }

  static Stream<Arguments> refusedTokens() {
    byte[] rsaPublic = RSA.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
    return Stream.of(
        // structure
        refused(
            "two segments",
            () -> rsa().encodedHeader() + "." + rsa().encodedPayload(),
            "malformed_token"),
        refused(
            "padding in a segment",
            () -> {
              String[] p = rsa().build().split("\\.");
              return p[0] + "==." + p[1] + "." + p[2];
            },
            "malformed_token"),
        refused(
            "standard base64 alphabet",
            () -> {
              String[] p = rsa().build().split("\\.");
              return p[0] + "." + p[1] + "." + p[2] + "+/";
            },
            "malformed_token"),
        refused(
            "whitespace in a segment",
            () -> {
              String[] p = rsa().build().split("\\.");
              return p[0] + "." + p[1] + " ." + p[2];
            },
            "malformed_token"),
        refused(
            "JWE (five segments)",
            () -> b64("{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\"}") + ".AAAA.AAAA.AAAA.AAAA",
            "unsupported_token_format"),
        refused(
            "nested JWT (cty JWT)",
            () -> rsa().header("cty", "JWT").build(),
            "unsupported_token_format"),
        refused(
            "duplicate header member",
            () ->
                rsa()
                    .rawHeaderJson("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"alg\":\"RS256\"}")
                    .build(),
            "duplicate_json_member"),
        refused(
            "duplicate payload member",
            () -> rsa().rawPayloadJson(payloadJson().replace("}", ",\"aud\":\"other\"}")).build(),
            "duplicate_json_member"),
        refused(
            "over 16 KiB", () -> rsa().claim("pad", "x".repeat(17_000)).build(), "token_too_large"),
        // header
        refused("alg none", () -> rsa().alg("none").unsigned(), "alg_not_allowed"),
        refused(
            "alg HS256 keyed with the RSA public key",
            () -> rsa().alg("HS256").hmacSecret(rsaPublic).build(),
            "alg_not_allowed"),
        refused("kid missing", () -> rsa().withoutHeader("kid").build(), "kid_missing"),
        refused("kid unknown", () -> rsa().kid("nope").build(), "kid_unknown"),
        refused(
            "key type does not fit alg",
            () -> TokenBuilder.signedBy(EC256).kid("rsa-1").claims(claims()).build(),
            "key_alg_mismatch"),
        refused(
            "JWK alg binds the key",
            () -> TokenBuilder.signedBy(RSA_BOUND_512).alg("RS256").claims(claims()).build(),
            "key_alg_mismatch"),
        refused(
            "jku header",
            () -> rsa().header("jku", "https://evil.example/jwks").build(),
            "forbidden_header"),
        refused(
            "x5u header",
            () -> rsa().header("x5u", "https://evil.example/cert").build(),
            "forbidden_header"),
        refused(
            "x5c header", () -> rsa().header("x5c", List.of("MIIB")).build(), "forbidden_header"),
        refused(
            "embedded jwk header",
            () ->
                rsa()
                    .header("jwk", RSA_UNPUBLISHED.toPublicJWK().toJSONObject())
                    .signWith(RSA_UNPUBLISHED)
                    .build(),
            "forbidden_header"),
        refused("crit empty", () -> rsa().header("crit", List.of()).build(), "crit_present"),
        // signature
        refused(
            "signed by another key under our kid",
            () -> rsa().signWith(RSA_UNPUBLISHED).build(),
            "signature_invalid"),
        refused(
            "payload swapped after signing",
            () -> {
              String[] p = rsa().build().split("\\.");
              return p[0] + "." + b64(payloadJson().replace("workload-1", "admin")) + "." + p[2];
            },
            "signature_invalid"),
        // claims
        refused(
            "iss with a trailing slash",
            () -> rsa().claim("iss", ISS + "/").build(),
            "issuer_mismatch"),
        refused("aud different", () -> rsa().claim("aud", "other").build(), "audience_mismatch"),
        refused(
            "aud array without ours",
            () -> rsa().claim("aud", List.of("a", "b")).build(),
            "audience_mismatch"),
        refused(
            "exp missing",
            () -> TokenBuilder.signedBy(RSA).claims(claimsWithout("exp")).build(),
            "exp_missing"),
        refused(
            "exp null",
            () ->
                rsa()
                    .rawPayloadJson(payloadJson().replaceFirst("\"exp\":\\d+", "\"exp\":null"))
                    .build(),
            "exp_invalid"),
        refused(
            "exp a string",
            () -> rsa().claim("exp", String.valueOf(now() + 600)).build(),
            "exp_invalid"),
        refused("exp a boolean", () -> rsa().claim("exp", true).build(), "exp_invalid"),
        refused(
            "expired beyond the 60 s leeway",
            () -> rsa().claim("iat", now() - 600).claim("exp", now() - 90).build(),
            "expired"),
        refused(
            "iat missing",
            () -> TokenBuilder.signedBy(RSA).claims(claimsWithout("iat")).build(),
            "iat_missing"),
        refused("iat a string", () -> rsa().claim("iat", "now").build(), "iat_invalid"),
        refused(
            "iat in the future", () -> rsa().claim("iat", now() + 120).build(), "iat_in_future"),
        refused(
            "nbf in the future", () -> rsa().claim("nbf", now() + 120).build(), "not_yet_valid"),
        refused("nbf a string", () -> rsa().claim("nbf", "soon").build(), "nbf_invalid"),
        refused(
            "lifetime over 24 h",
            () -> rsa().claim("exp", now() + 24 * 3600 + 60).build(),
            "lifetime_too_long"),
        // policy
        refused(
            "no rule matches the sub",
            () -> rsa().claim("sub", "intruder").build(),
            "no_matching_rule"),
        refused(
            "raw openai.team claim cannot satisfy the attribute",
            () -> rsa().claim("team", "ops").claim("openai.team", "ml").build(),
            "no_matching_rule"),
        refused(
            "transformation fails (claim absent)",
            () -> TokenBuilder.signedBy(RSA).claims(claimsWithout("team")).build(),
            "transformation_failed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedTokens")
  void exchangeWhenTokenBreaksARuleThen401InvalidGrantAndAuditReason(
      Supplier<String> token, String reason) throws Exception {
    String subjectToken = token.get();

    LiveServer.Reply reply =
        server.exchangeJson(LiveServer.exchangeParams(subjectToken, providerId, accountId));

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.body().get("error").asText()).isEqualTo("invalid_grant");
    assertThat(reply.body().get("error_description").asText())
        .isEqualTo("The subject token is not valid for this exchange.");
    JsonNode event = server.lastExchangeEvent();
    assertThat(event.get("reason_code").asText()).isEqualTo(reason);
    assertThat(sha256Hex(subjectToken)).startsWith(event.get("subject_token_hash_prefix").asText());
    assertThat(event.toString()).doesNotContain(subjectToken);
  }

  static Stream<Arguments> acceptedTokens() {
    return Stream.of(
        Arguments.of(Named.of("RS256", (Supplier<String>) () -> rsa().build())),
        Arguments.of(Named.of("PS256", (Supplier<String>) () -> rsa().alg("PS256").build())),
        Arguments.of(
            Named.of(
                "ES256",
                (Supplier<String>) () -> TokenBuilder.signedBy(EC256).claims(claims()).build())),
        Arguments.of(
            Named.of(
                "EdDSA",
                (Supplier<String>) () -> TokenBuilder.signedBy(ED).claims(claims()).build())),
        Arguments.of(
            Named.of(
                "RS512 with the key bound to RS512",
                (Supplier<String>)
                    () ->
                        TokenBuilder.signedBy(RSA_BOUND_512)
                            .alg("RS512")
                            .claims(claims())
                            .build())),
        Arguments.of(
            Named.of(
                "aud array containing ours",
                (Supplier<String>) () -> rsa().claim("aud", List.of("x", AUD)).build())),
        Arguments.of(
            Named.of(
                "expired within the leeway",
                (Supplier<String>)
                    () -> rsa().claim("iat", now() - 600).claim("exp", now() - 20).build())),
        Arguments.of(
            Named.of(
                "nbf within the leeway",
                (Supplier<String>) () -> rsa().claim("nbf", now() + 20).build())),
        Arguments.of(
            Named.of(
                "no email claim needed",
                (Supplier<String>)
                    () -> TokenBuilder.signedBy(RSA).claims(claimsWithout("email")).build())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptedTokens")
  void exchangeWhenTokenValidThen200(Supplier<String> token) {
    LiveServer.Reply reply =
        server.exchangeJson(LiveServer.exchangeParams(token.get(), providerId, accountId));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(server.lastExchangeEvent().get("outcome").asText()).isEqualTo("succeeded");
  }

  static Stream<Arguments> refusedRequests() {
    String good = rsa().build();
    Map<String, Object> base = new LinkedHashMap<>(LiveServer.exchangeParams(good, "x", "y"));
    return Stream.of(
        request(
            "unknown provider",
            with(base, "identity_provider_id", "wip_unknown", "service_account_id", "svc"),
            400,
            "invalid_target",
            "provider_unknown"),
        request(
            "disabled provider",
            with(base, "identity_provider_id", "DISABLED", "service_account_id", "ACCOUNT"),
            400,
            "invalid_target",
            "provider_disabled"),
        request(
            "grant type authorization_code",
            with(base, "grant_type", "authorization_code"),
            400,
            "unsupported_grant_type",
            "unsupported_grant_type"),
        request(
            "subject token type saml2",
            with(base, "subject_token_type", "urn:ietf:params:oauth:token-type:saml2"),
            400,
            "invalid_request",
            "unsupported_subject_token_type"),
        request(
            "subject_token missing",
            without(base, "subject_token"),
            400,
            "invalid_request",
            "invalid_request"),
        request(
            "subject_token a number",
            with(base, "subject_token", 42),
            400,
            "invalid_request",
            "invalid_request"));
  }

  static Arguments request(
      String name, Map<String, Object> params, int status, String error, String reason) {
    return Arguments.of(Named.of(name, params), status, error, reason);
  }

  static Map<String, Object> with(Map<String, Object> base, Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>(base);
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static Map<String, Object> without(Map<String, Object> base, String key) {
    Map<String, Object> m = new LinkedHashMap<>(base);
    m.remove(key);
    return m;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedRequests")
  void exchangeWhenRequestRefusedThenTopLevelOAuthErrorAndAuditReason(
      Map<String, Object> params, int status, String error, String reason) {
    Map<String, Object> resolved = new LinkedHashMap<>(params);
    resolved.replaceAll(
        (k, v) -> "DISABLED".equals(v) ? disabledProviderId : "ACCOUNT".equals(v) ? accountId : v);
    if ("x".equals(resolved.get("identity_provider_id"))) {
      resolved.put("identity_provider_id", providerId);
      resolved.put("service_account_id", accountId);
    }

    LiveServer.Reply reply = server.exchangeJson(resolved);

    assertThat(reply.status()).isEqualTo(status);
    assertThat(reply.body().get("error").asText()).isEqualTo(error);
    assertThat(reply.body().get("error_description").isTextual()).isTrue();
    assertThat(reply.body().has("message")).isFalse();
    assertThat(server.lastExchangeEvent().get("reason_code").asText()).isEqualTo(reason);
  }

  @Test
  void exchangeWhenFormParameterRepeatedThen400InvalidRequest() {
    String form =
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=a&subject_token=b"
            + "&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt&identity_provider_id="
            + providerId
            + "&service_account_id="
            + accountId;

    LiveServer.Reply reply =
        server.post(
            "/oauth/token", "application/x-www-form-urlencoded", form, java.util.Optional.empty());

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().get("error").asText()).isEqualTo("invalid_request");
    assertThat(reply.body().get("error_description").asText())
        .isEqualTo("Parameter subject_token is repeated.");
    assertThat(server.lastExchangeEvent().get("reason_code").asText()).isEqualTo("invalid_request");
  }

  static String sha256Hex(String token) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
  }
}
