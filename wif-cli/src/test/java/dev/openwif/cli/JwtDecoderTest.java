package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JwtDecoderTest {
  private final JwtDecoder decoder = new JwtDecoder(new ObjectMapper());

  static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static final String HEADER = b64("{\"alg\":\"RS256\",\"kid\":\"k1\"}");
  static final String PAYLOAD =
      b64("{\"sub\":\"system:serviceaccount:default:openai-wif\",\"exp\":1716239022}");

  @Test
  void decodeWhenSignedJwtWithSurroundingWhitespaceThenHeaderAndPayload() throws Exception {
    JwtDecoder.DecodedJwt jwt = decoder.decode("  " + HEADER + "." + PAYLOAD + ".c2ln\n");

    assertThat(jwt.header().get("kid").asText()).isEqualTo("k1");
    assertThat(jwt.payload().get("sub").asText())
        .isEqualTo("system:serviceaccount:default:openai-wif");
    assertThat(jwt.payload().get("exp").asLong()).isEqualTo(1716239022L);
    assertThat(jwt.signed()).isTrue();
  }

  @Test
  void decodeWhenSignatureEmptyThenUnsigned() throws Exception {
    assertThat(decoder.decode(HEADER + "." + PAYLOAD + ".").signed()).isFalse();
  }

  static Stream<Arguments> notJwts() {
    return Stream.of(
        Arguments.of(Named.of("empty input", "   \n"), "no token given"),
        Arguments.of(
            Named.of("one segment", "abc"), "expected 3 segments separated by '.', found 1"),
        Arguments.of(Named.of("two segments", HEADER + "." + PAYLOAD), "found 2"),
        Arguments.of(Named.of("four segments", "a.b.c.d"), "found 4"),
        Arguments.of(Named.of("JWE", "a.b.c.d.e"), "encrypted JWT (JWE"),
        Arguments.of(Named.of("empty header", "." + PAYLOAD + ".c2ln"), "header segment is empty"),
        Arguments.of(
            Named.of("standard base64 characters", HEADER + ".a+b/." + "c2ln"),
            "payload segment is not base64url"),
        Arguments.of(
            Named.of("padding", HEADER + "." + PAYLOAD + "==.c2ln"),
            "payload segment is not base64url"),
        Arguments.of(
            Named.of("impossible length", "abcde." + PAYLOAD + ".c2ln"),
            "header segment is not valid base64url"),
        Arguments.of(
            Named.of("payload not JSON", HEADER + "." + b64("hello") + ".c2ln"),
            "payload is not JSON"),
        Arguments.of(
            Named.of("payload JSON array", HEADER + "." + b64("[1]") + ".c2ln"),
            "payload is JSON but not an object"),
        Arguments.of(
            Named.of("bad signature characters", HEADER + "." + PAYLOAD + ".a$b"),
            "signature segment is not base64url"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notJwts")
  void decodeWhenNotAJwtThenRefusedSayingWhy(String input, String reason) {
    assertThatThrownBy(() -> decoder.decode(input))
        .isInstanceOf(JwtDecoder.NotAJwtException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void decodeWhenRefusedThenMessageDoesNotEchoTheInput() {
    String secretish = HEADER + "." + b64("not json but secret-ish") + ".c2ln";

    assertThatThrownBy(() -> decoder.decode(secretish))
        .message()
        .doesNotContain("secret-ish")
        .doesNotContain(HEADER);
  }
}
