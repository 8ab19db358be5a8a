package dev.openwif.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.server.sts.IntrospectionRequest.ClientCredentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IntrospectionRequestParserTest {
  private static final String FORM = "application/x-www-form-urlencoded";
  private final IntrospectionRequestParser parser = new IntrospectionRequestParser();

  private IntrospectionRequest parse(String contentType, String authorization, String body) {
    return parser.parse(
        Optional.ofNullable(contentType),
        Optional.ofNullable(authorization),
        body.getBytes(StandardCharsets.UTF_8));
  }

  private static String basic(String userPass) {
    return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
  }

  private static IntrospectionRequest.Parsed parsed(IntrospectionRequest request) {
    assertThat(request).isInstanceOf(IntrospectionRequest.Parsed.class);
    return (IntrospectionRequest.Parsed) request;
  }

  @Test
  void parseWhenBasicAndTokenThenSecretBasicCredentialsAndTokenCarried() {
    IntrospectionRequest.Parsed request =
        parsed(
            parse(
                FORM + "; charset=UTF-8",
                basic("rs_1:wifrs_s3cret"),
                "token=a.b.c&token_type_hint=access_token&unknown=x"));

    assertThat(request.token()).contains("a.b.c");
    assertThat(request.tokenTypeHint()).contains("access_token");
    assertThat(request.credentials())
        .isEqualTo(
            new ClientCredentials.Secret(IntrospectionRequestParser.BASIC, "rs_1", "wifrs_s3cret"));
  }

  @Test
  void parseWhenBasicValuesFormEncodedThenDecodedPerRfc6749() {
    IntrospectionRequest.Parsed request =
        parsed(parse(FORM, basic("rs%3A1:a%25b+c%3Ad"), "token=t"));

    assertThat(request.credentials())
        .isEqualTo(
            new ClientCredentials.Secret(IntrospectionRequestParser.BASIC, "rs:1", "a%b c:d"));
  }

  @Test
  void parseWhenSecretInBodyThenSecretPostCredentials() {
    IntrospectionRequest.Parsed request =
        parsed(parse(FORM, null, "token=t&client_id=rs_1&client_secret=wifrs_x%2By"));

    assertThat(request.credentials())
        .isEqualTo(
            new ClientCredentials.Secret(IntrospectionRequestParser.POST, "rs_1", "wifrs_x+y"));
  }

  @Test
  void parseWhenNoTokenThenParsedWithoutTokenSoAuthenticationComesFirst() {
    IntrospectionRequest.Parsed request = parsed(parse(FORM, basic("rs_1:s"), "token="));

    assertThat(request.token()).isEmpty();
  }

  @Test
  void parseWhenSecretPresentThenToStringRedactsSecretAndToken() {
    IntrospectionRequest.Parsed request =
        parsed(parse(FORM, basic("rs_1:wifrs_topsecret"), "token=eyJ.secret-token.sig"));

    assertThat(request.toString()).doesNotContain("wifrs_topsecret").doesNotContain("secret-token");
  }

  static Stream<Arguments> credentials() {
    return Stream.of(
        Arguments.of("none", null, "token=t", ClientCredentials.None.class),
        Arguments.of(
            "admin key as bearer",
            "Bearer wifadm_abcdef",
            "token=t",
            ClientCredentials.AdminKey.class),
        Arguments.of(
            "OpenAI-shaped admin key as bearer",
            "bearer sk-admin-abc",
            "token=t",
            ClientCredentials.AdminKey.class),
        Arguments.of(
            "admin key as Basic secret",
            basic("rs_1:wifadm_abc"),
            "token=t",
            ClientCredentials.AdminKey.class),
        Arguments.of(
            "admin key as client_secret",
            null,
            "token=t&client_id=x&client_secret=sk-admin-abc",
            ClientCredentials.AdminKey.class),
        Arguments.of("other bearer", "Bearer eyJ.a.b", "token=t", ClientCredentials.Unusable.class),
        Arguments.of("digest", "Digest x=1", "token=t", ClientCredentials.Unusable.class),
        Arguments.of("basic not base64", "Basic %%%", "token=t", ClientCredentials.Unusable.class),
        Arguments.of("basic no colon", basic("rs_1"), "token=t", ClientCredentials.Unusable.class),
        Arguments.of(
            "basic empty secret", basic("rs_1:"), "token=t", ClientCredentials.Unusable.class),
        Arguments.of("basic no value", "Basic", "token=t", ClientCredentials.Unusable.class),
        Arguments.of(
            "client_id without secret",
            null,
            "token=t&client_id=rs_1",
            ClientCredentials.Unusable.class),
        Arguments.of(
            "secret without client_id",
            null,
            "token=t&client_secret=wifrs_x",
            ClientCredentials.Unusable.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("credentials")
  void parseWhenCredentialsOfAKindThenClassified(
      String name, String authorization, String body, Class<?> kind) {
    assertThat(parsed(parse(FORM, authorization, body)).credentials()).isInstanceOf(kind);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("json", "application/json", null, "{\"token\":\"t\"}", "Content-Type"),
        Arguments.of("no content type", null, null, "token=t", "Content-Type"),
        Arguments.of("repeated token", FORM, basic("a:b"), "token=a&token=b", "token is repeated"),
        Arguments.of(
            "repeated client_secret",
            FORM,
            null,
            "token=a&client_id=x&client_secret=1&client_secret=2",
            "client_secret is repeated"),
        Arguments.of("bad percent", FORM, basic("a:b"), "token=%zz", "percent-encoding"),
        Arguments.of(
            "both methods",
            FORM,
            basic("rs_1:s"),
            "token=t&client_id=rs_1&client_secret=s",
            "one method only"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void parseWhenMalformedThenProblemNamed(
      String name, String contentType, String authorization, String body, String problem) {
    assertThat(parse(contentType, authorization, body))
        .isInstanceOfSatisfying(
            IntrospectionRequest.Malformed.class, m -> assertThat(m.problem()).contains(problem));
  }

  @Test
  void parseWhenInvalidUtf8ThenMalformed() {
    IntrospectionRequest request =
        parser.parse(
            Optional.of(FORM),
            Optional.empty(),
            new byte[] {'t', 'o', 'k', 'e', 'n', '=', (byte) 0xC3, (byte) 0x28});

    assertThat(request)
        .isInstanceOfSatisfying(
            IntrospectionRequest.Malformed.class, m -> assertThat(m.problem()).contains("UTF-8"));
  }
}
