package dev.openwif.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.exchange.ExchangeRequest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TokenRequestParserTest {
  private static final String JSON = "application/json";
  private static final String FORM = "application/x-www-form-urlencoded";
  private final TokenRequestParser parser = new TokenRequestParser();

  private TokenRequest parse(String contentType, String body) {
    return parser.parse(
        Optional.ofNullable(contentType),
        body.getBytes(StandardCharsets.UTF_8),
        Optional.of("127.0.0.1"));
  }

  private static final String GOOD_JSON =
      "{\"grant_type\":\"urn:ietf:params:oauth:grant-type:token-exchange\",\"subject_token\":\"t\",\"subject_token_type\":\"tt\","
          + "\"identity_provider_id\":\"wip_1\",\"service_account_id\":\"svc_1\",\"client_id\":\"c\"}";

  @Test
  void parseWhenJsonCompleteThenEveryFieldCarried() {
    TokenRequest parsed = parse("application/json; charset=utf-8", GOOD_JSON);

    assertThat(parsed)
        .isEqualTo(
            new TokenRequest.Parsed(
                new ExchangeRequest(
                    ExchangeRequest.TOKEN_EXCHANGE_GRANT,
                    "t",
                    "tt",
                    "wip_1",
                    "svc_1",
                    Optional.of("c"),
                    Optional.of("127.0.0.1"))));
  }

  @Test
  void parseWhenFormCompleteThenDecodedFieldsCarriedAndUnknownIgnored() {
    TokenRequest parsed =
        parse(
            FORM,
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=a.b.c"
                + "&subject_token_type=tt&identity_provider_id=wip_1&service_account_id=svc_1&scope=x+y");

    assertThat(parsed)
        .isEqualTo(
            new TokenRequest.Parsed(
                new ExchangeRequest(
                    ExchangeRequest.TOKEN_EXCHANGE_GRANT,
                    "a.b.c",
                    "tt",
                    "wip_1",
                    "svc_1",
                    Optional.empty(),
                    Optional.of("127.0.0.1"))));
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(
            "no content type",
            null,
            GOOD_JSON,
            "Content-Type must be application/json or application/x-www-form-urlencoded."),
        Arguments.of(
            "text/plain",
            "text/plain",
            GOOD_JSON,
            "Content-Type must be application/json or application/x-www-form-urlencoded."),
        Arguments.of("not json", JSON, "{nope", "The body is not valid JSON."),
        Arguments.of("json array", JSON, "[]", "The JSON body must be an object."),
        Arguments.of("empty body", JSON, "", "The JSON body must be an object."),
        Arguments.of(
            "duplicate json member",
            JSON,
            GOOD_JSON.replace("{", "{\"subject_token\":\"x\","),
            "The JSON body repeats a member: 'subject_token'."),
        Arguments.of(
            "number instead of string",
            JSON,
            GOOD_JSON.replace("\"svc_1\"", "42"),
            "Parameter service_account_id must be a string."),
        Arguments.of(
            "array instead of string",
            JSON,
            GOOD_JSON.replace("\"t\"", "[\"t\"]"),
            "Parameter subject_token must be a string."),
        Arguments.of(
            "missing subject_token",
            JSON,
            GOOD_JSON.replace("\"subject_token\":\"t\",", ""),
            "Missing required parameter: subject_token."),
        Arguments.of(
            "null grant_type",
            JSON,
            GOOD_JSON.replace("\"urn:ietf:params:oauth:grant-type:token-exchange\"", "null"),
            "Missing required parameter: grant_type."),
        Arguments.of(
            "empty identity_provider_id",
            JSON,
            GOOD_JSON.replace("\"wip_1\"", "\"\""),
            "Missing required parameter: identity_provider_id."),
        Arguments.of(
            "repeated form parameter",
            FORM,
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=t&subject_token=u&subject_token_type=tt&identity_provider_id=w&service_account_id=s",
            "Parameter subject_token is repeated."),
        Arguments.of(
            "bad percent encoding",
            FORM,
            "grant_type=%zz",
            "The form body has an invalid percent-encoding."),
        Arguments.of(
            "identity_provider_id over 128",
            JSON,
            GOOD_JSON.replace("\"wip_1\"", "\"" + "p".repeat(129) + "\""),
            "Parameter identity_provider_id is longer than 128 characters."),
        Arguments.of(
            "service_account_id over 128",
            JSON,
            GOOD_JSON.replace("\"svc_1\"", "\"" + "s".repeat(129) + "\""),
            "Parameter service_account_id is longer than 128 characters."),
        Arguments.of(
            "client_id over 256",
            JSON,
            GOOD_JSON.replace("\"client_id\":\"c\"", "\"client_id\":\"" + "c".repeat(257) + "\""),
            "Parameter client_id must be at most 256 printable ASCII characters without spaces."),
        Arguments.of(
            "client_id with a space",
            JSON,
            GOOD_JSON.replace("\"client_id\":\"c\"", "\"client_id\":\"a b\""),
            "Parameter client_id must be at most 256 printable ASCII characters without spaces."),
        Arguments.of(
            "client_id not ASCII",
            JSON,
            GOOD_JSON.replace("\"client_id\":\"c\"", "\"client_id\":\"caf\u00e9\""),
            "Parameter client_id must be at most 256 printable ASCII characters without spaces."),
        Arguments.of(
            "missing form field",
            FORM,
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=t",
            "Missing required parameter: subject_token_type."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void parseWhenMalformedThenProblemNamed(
      String name, String contentType, String body, String problem) {
    assertThat(parse(contentType, body)).isEqualTo(new TokenRequest.Malformed(problem));
  }

  @Test
  void parseWhenIdentifiersAtTheirLimitsThenParsed() {
    String body =
        GOOD_JSON
            .replace("\"wip_1\"", "\"" + "p".repeat(128) + "\"")
            .replace("\"svc_1\"", "\"" + "s".repeat(128) + "\"")
            .replace("\"client_id\":\"c\"", "\"client_id\":\"" + "!~".repeat(128) + "\"");

    assertThat(parse(JSON, body)).isInstanceOf(TokenRequest.Parsed.class);
  }

  @Test
  void parseWhenGrantTypeIsAnotherThenUnsupportedGrantBeforeMissingParameters() {
    assertThat(parse(FORM, "grant_type=client_credentials&scope=x"))
        .isEqualTo(new TokenRequest.UnsupportedGrant("client_credentials"));
  }

  @Test
  void parseWhenBodyIsNotUtf8ThenMalformed() {
    TokenRequest parsed =
        parser.parse(Optional.of(JSON), new byte[] {'{', (byte) 0xC3, '}'}, Optional.empty());

    assertThat(parsed).isEqualTo(new TokenRequest.Malformed("The body is not valid UTF-8."));
  }

  @Test
  void parseWhenAHugeOrControlCharacterNameRepeatsThenTheProblemQuotesItShortAndPrintable() {
    String huge = "n".repeat(32 * 1024);
    TokenRequest form = parse(FORM, huge + "=1&" + huge + "=2");
    TokenRequest json = parse(JSON, "{\"a\\u0000b\":1,\"a\\u0000b\":2}");

    assertThat(form).isInstanceOf(TokenRequest.Malformed.class);
    String problem = ((TokenRequest.Malformed) form).problem();
    assertThat(problem).hasSizeLessThan(200).startsWith("Parameter nnnn").contains("…");
    assertThat(((TokenRequest.Malformed) json).problem())
        .isEqualTo("The JSON body repeats a member: 'a?b'.");
  }
}
