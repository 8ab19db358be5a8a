package dev.openwif.server.adversarial;

import static dev.openwif.server.adversarial.Forge.b64;
import static dev.openwif.server.adversarial.Forge.segments;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.TestKeys;
import dev.openwif.testkit.TokenBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
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
 * The API side (RFC 6750 §3.1): a tampered, forged, foreign or revoked access token gets 401 {@code
 * invalid_token} on {@code /v1} (so the SDKs re-exchange), and a genuine token restricted to some
 * scopes gets 403 {@code insufficient_scope} outside them (never 401).
 */
@ExtendWith(AdversarialCases.class)
class AccessTokenTamperingIT {
  @TempDir static Path dir;
  static Arena arena;
  static String accessToken;
  static String readOnlyToken;
  static String requestOnlyToken;

  @BeforeAll
  static void start() {
    arena = Arena.start(dir).uploaded();
    accessToken = arena.assertIssued(arena.main().subjectToken(arena.clock));
    Federation readOnly =
        Federation.uploaded(arena.server, arena.issuer, Federation.scopes("api.model.read"));
    readOnlyToken =
        arena.assertIssued(
            readOnly.subjectToken(arena.clock), readOnly.providerId(), readOnly.accountId());
    Federation requestOnly =
        Federation.uploaded(arena.server, arena.issuer, Federation.scopes("api.model.request"));
    requestOnlyToken =
        arena.assertIssued(
            requestOnly.subjectToken(arena.clock),
            requestOnly.providerId(),
            requestOnly.accountId());
  }

  @AfterAll
  static void stop() {
    arena.close();
  }

  @Test
  void modelsWhenGenuineTokenThen200() {
    assertThat(arena.server.get("/v1/models", Optional.of(accessToken)).status()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tampered")
  void modelsWhenAccessTokenTamperedThen401InvalidToken(
      String name, Function<String, String> tamper) {
    String forged = tamper.apply(accessToken);
    arena.remember(forged);
    LiveServer.Reply reply = arena.server.get("/v1/models", Optional.of(forged));

    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(401);
    assertThat(reply.body().path("error").path("code").asText()).isEqualTo("invalid_token");
    assertThat(reply.header("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
    assertThat(reply.raw().body()).doesNotContain("\"data\"");
  }

  static Stream<Arguments> tampered() {
    return Stream.of(
        Arguments.of(
            "signature bit flipped", (Function<String, String>) t -> Forge.flipBit(t, 2, 5)),
        Arguments.of(
            "signature stripped",
            (Function<String, String>) t -> t.substring(0, t.lastIndexOf('.') + 1)),
        Arguments.of(
            "signature truncated",
            (Function<String, String>)
                t -> {
                  byte[] sig = Forge.unb64(segments(t)[2]);
                  return Forge.withSignature(t, java.util.Arrays.copyOf(sig, 32));
                }),
        Arguments.of(
            "scope widened in the payload",
            (Function<String, String>)
                t ->
                    rewritePayload(
                        t,
                        p ->
                            p.replaceFirst(
                                "\"scope\":\"[^\"]*\"",
                                "\"scope\":\"api.model.read api.model.request api.files.write\""))),
        Arguments.of(
            "exp pushed a year ahead",
            (Function<String, String>)
                t ->
                    rewritePayload(t, p -> p.replaceFirst("\"exp\":(\\d+)", "\"exp\":9999999999"))),
        Arguments.of(
            "sub changed to another service account",
            (Function<String, String>)
                t ->
                    rewritePayload(
                        t,
                        p -> p.replaceFirst("\"sub\":\"[^\"]*\"", "\"sub\":\"svc_acct_other\""))),
        Arguments.of(
            "alg none, signature dropped",
            (Function<String, String>)
                t -> b64("{\"alg\":\"none\",\"typ\":\"at+jwt\"}") + "." + segments(t)[1] + "."),
        Arguments.of(
            "HS256 keyed with the server's public JWKS",
            (Function<String, String>)
                t -> {
                  String jwks =
                      arena.server.get("/.well-known/jwks.json", Optional.empty()).raw().body();
                  String kid =
                      arena
                          .server
                          .get("/.well-known/jwks.json", Optional.empty())
                          .body()
                          .get("keys")
                          .get(0)
                          .get("kid")
                          .asText();
                  return TokenBuilder.signedBy(TestKeys.rsa(kid))
                      .alg("HS256")
                      .kid(kid)
                      .hmacSecret(jwks.getBytes(StandardCharsets.UTF_8))
                      .rawPayloadJson(
                          new String(Forge.unb64(segments(t)[1]), StandardCharsets.UTF_8))
                      .build();
                }),
        Arguments.of(
            "re-signed by an attacker key under the server's kid",
            (Function<String, String>)
                t -> {
                  JsonNode key =
                      arena
                          .server
                          .get("/.well-known/jwks.json", Optional.empty())
                          .body()
                          .get("keys")
                          .get(0);
                  return TokenBuilder.signedBy(TestKeys.ec256(key.get("kid").asText()))
                      .header("typ", "at+jwt")
                      .rawPayloadJson(
                          new String(Forge.unb64(segments(t)[1]), StandardCharsets.UTF_8))
                      .build();
                }),
        Arguments.of("an extra segment", (Function<String, String>) t -> t + ".e30"),
        Arguments.of(
            "the subject token instead of an access token",
            (Function<String, String>) t -> arena.main().subjectToken(arena.clock)),
        Arguments.of("garbage", (Function<String, String>) t -> "not-a-token-at-all-0123456789"),
        Arguments.of("two tokens joined by a space", (Function<String, String>) t -> t + " " + t));
  }

  @Test
  void modelsWhenNoTokenOrEmptyBearerThen401() {
    assertThat(arena.server.get("/v1/models", Optional.empty()).status()).isEqualTo(401);
    LiveServer.Reply empty =
        arena.server.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(arena.server.url() + "/v1/models"))
                .header("Authorization", "Bearer ")
                .timeout(java.time.Duration.ofSeconds(10))
                .GET()
                .build());
    assertThat(empty.status()).isEqualTo(401);
  }

  @Test
  void modelsWhenRuleDisabledAfterIssueThen401Revoked() {
    Federation fed = Federation.uploaded(arena.server, arena.issuer, Federation.allScopes());
    String token =
        arena.assertIssued(fed.subjectToken(arena.clock), fed.providerId(), fed.accountId());
    assertThat(arena.server.get("/v1/models", Optional.of(token)).status()).isEqualTo(200);

    arena.server.updateRule(fed.providerId(), fed.ruleId(), Map.of("enabled", false));

    assertThat(arena.server.get("/v1/models", Optional.of(token)).status()).isEqualTo(401);
  }

  @Test
  void responsesWhenTokenRestrictedToModelReadThen403InsufficientScope() {
    assertThat(arena.server.get("/v1/models", Optional.of(readOnlyToken)).status()).isEqualTo(200);

    LiveServer.Reply reply =
        arena.server.post(
            "/v1/responses",
            "application/json",
            "{\"model\":\"openwif-demo-1\",\"input\":\"hi\"}",
            Optional.of(readOnlyToken));

    assertForbidden(reply, "api.model.request");
  }

  @Test
  void modelsWhenTokenRestrictedToModelRequestThen403InsufficientScope() {
    assertForbidden(
        arena.server.get("/v1/models", Optional.of(requestOnlyToken)), "api.model.read");
    assertForbidden(
        arena.server.get("/v1/models/openwif-demo-1", Optional.of(requestOnlyToken)),
        "api.model.read");
  }

  @Test
  void responsesWhenTokenRestrictedToModelRequestThen200() {
    LiveServer.Reply reply =
        arena.server.post(
            "/v1/responses",
            "application/json",
            "{\"model\":\"openwif-demo-1\",\"input\":\"hi\"}",
            Optional.of(requestOnlyToken));

    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
  }

  private static void assertForbidden(LiveServer.Reply reply, String scope) {
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(403);
    assertThat(reply.body().path("error").path("code").asText()).isEqualTo("insufficient_scope");
    assertThat(reply.header("x-should-retry")).contains("false");
    assertThat(reply.header("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).contains("scope=\"" + scope + "\""));
  }

  private static String rewritePayload(String token, Function<String, String> change) {
    String[] s = segments(token);
    String payload = new String(Forge.unb64(s[1]), StandardCharsets.UTF_8);
    String changed = change.apply(payload);
    assertThat(changed).as("the tampering changed the payload").isNotEqualTo(payload);
    return s[0] + "." + b64(changed) + "." + s[2];
  }
}
