package dev.openwif.server.adversarial;

import dev.openwif.audit.ReasonCode;
import dev.openwif.server.sts.LiveServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Token requests of the wrong shape (RFC 8693 §2.1, RFC 6749 §5.2) carrying an otherwise valid
 * subject token: wrong {@code grant_type} (400 {@code unsupported_grant_type}), wrong {@code
 * subject_token_type}, missing, repeated or wrongly typed parameters, wrong content types and
 * unparseable bodies (400 {@code invalid_request}). Each refusal is audited with its reason.
 */
@ExtendWith(AdversarialCases.class)
class RequestShapeIT {
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

  private static Map<String, Object> validParams() {
    return new LinkedHashMap<>(arena.main().exchangeParams(arena.main().subjectToken(arena.clock)));
  }

  @ParameterizedTest(name = "grant_type {0}")
  @MethodSource("grantTypes")
  void exchangeWhenGrantTypeWrongThenUnsupportedGrantType(String grantType) {
    Map<String, Object> params = validParams();
    params.put("grant_type", grantType);
    arena.assertRefused(params, 400, "unsupported_grant_type", ReasonCode.UNSUPPORTED_GRANT_TYPE);
  }

  static Stream<String> grantTypes() {
    return Stream.of(
        "authorization_code",
        "client_credentials",
        "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "URN:IETF:PARAMS:OAUTH:GRANT-TYPE:TOKEN-EXCHANGE",
        "urn:ietf:params:oauth:grant-type:token-exchange ",
        "refresh_token");
  }

  @ParameterizedTest(name = "subject_token_type {0}")
  @MethodSource("tokenTypes")
  void exchangeWhenSubjectTokenTypeWrongThenInvalidRequest(String tokenType) {
    Map<String, Object> params = validParams();
    params.put("subject_token_type", tokenType);
    arena.assertRefused(params, 400, "invalid_request", ReasonCode.UNSUPPORTED_SUBJECT_TOKEN_TYPE);
  }

  static Stream<String> tokenTypes() {
    return Stream.of(
        "urn:ietf:params:oauth:token-type:access_token",
        "urn:ietf:params:oauth:token-type:saml2",
        "urn:ietf:params:oauth:token-type:refresh_token",
        "jwt",
        "URN:IETF:PARAMS:OAUTH:TOKEN-TYPE:JWT");
  }

  @ParameterizedTest(name = "without {0}")
  @MethodSource("requiredParameters")
  void exchangeWhenParameterMissingThenInvalidRequest(String name) {
    Map<String, Object> params = validParams();
    params.remove(name);
    arena.assertRefused(params, 400, "invalid_request", ReasonCode.INVALID_REQUEST);
  }

  static Stream<String> requiredParameters() {
    return Stream.of(
        "grant_type",
        "subject_token",
        "subject_token_type",
        "identity_provider_id",
        "service_account_id");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void exchangeWhenBodyMalformedThenInvalidRequest(String name, String contentType, String body) {
    arena.assertRawRefused(contentType, body, 400, "invalid_request", ReasonCode.INVALID_REQUEST);
  }

  static Stream<Arguments> badBodies() {
    return Stream.of(
        Arguments.of(
            "subject_token as a number",
            "application/json",
            "{\"grant_type\":\""
                + GRANT
                + "\",\"subject_token\":1,"
                + "\"subject_token_type\":\"urn:ietf:params:oauth:token-type:jwt\",\"identity_provider_id\":\"p\",\"service_account_id\":\"s\"}"),
        Arguments.of(
            "subject_token as an array",
            "application/json",
            "{\"grant_type\":\""
                + GRANT
                + "\",\"subject_token\":[\"a.b.c\"],"
                + "\"subject_token_type\":\"urn:ietf:params:oauth:token-type:jwt\",\"identity_provider_id\":\"p\",\"service_account_id\":\"s\"}"),
        Arguments.of(
            "duplicate JSON member identity_provider_id",
            "application/json",
            "{\"grant_type\":\""
                + GRANT
                + "\",\"subject_token\":\"a.b.c\",\"subject_token_type\":\"urn:ietf:params:oauth:token-type:jwt\","
                + "\"identity_provider_id\":\"p\",\"identity_provider_id\":\"q\",\"service_account_id\":\"s\"}"),
        Arguments.of(
            "repeated form parameter service_account_id",
            "application/x-www-form-urlencoded",
            "grant_type="
                + GRANT
                + "&subject_token=a.b.c&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt"
                + "&identity_provider_id=p&service_account_id=s&service_account_id=t"),
        Arguments.of(
            "invalid percent-encoding", "application/x-www-form-urlencoded", "grant_type=%zz"),
        Arguments.of("body not JSON", "application/json", "grant_type=" + GRANT),
        Arguments.of("JSON array body", "application/json", "[]"),
        Arguments.of("empty body", "application/json", ""),
        Arguments.of("text/plain content type", "text/plain", "{}"),
        Arguments.of("multipart content type", "multipart/form-data; boundary=x", "--x--"));
  }

  @ParameterizedTest(name = "{0} holding a lone surrogate")
  @MethodSource("surrogateParameters")
  void exchangeWhenParameterHoldsLoneSurrogateThenRefusedAndAuditLogStillReadable(
      String name, String value, int status, String error, ReasonCode reason) {
    Map<String, Object> params = validParams();
    String body =
        LiveServer.JSON
            .valueToTree(params)
            .toString()
            .replace("\"" + params.get(name) + "\"", "\"" + value + "\"");
    arena.assertRawRefused("application/json", body, status, error, reason);
  }

  static Stream<Arguments> surrogateParameters() {
    return Stream.of(
        Arguments.of(
            "grant_type",
            "x\\ud800",
            400,
            "unsupported_grant_type",
            ReasonCode.UNSUPPORTED_GRANT_TYPE),
        Arguments.of(
            "subject_token_type",
            "\\udfff",
            400,
            "invalid_request",
            ReasonCode.UNSUPPORTED_SUBJECT_TOKEN_TYPE),
        Arguments.of(
            "identity_provider_id",
            "wip_\\ud83d",
            400,
            "invalid_target",
            ReasonCode.PROVIDER_UNKNOWN),
        Arguments.of(
            "subject_token",
            "\\ud800.\\udc00.x",
            401,
            "invalid_grant",
            ReasonCode.MALFORMED_TOKEN));
  }

  static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
}
