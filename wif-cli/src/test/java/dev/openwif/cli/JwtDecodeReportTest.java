package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JwtDecodeReportTest {
  private static final Instant NOW =
      Instant.parse("2024-05-20T20:31:42Z"); // exp 1716239022 is 21:03:42Z
  private final ObjectMapper json = new ObjectMapper();

  private String render(String payloadJson, Instant now) throws Exception {
    String token =
        JwtDecoderTest.b64("{\"alg\":\"RS256\",\"kid\":\"k1\"}")
            + "."
            + JwtDecoderTest.b64(payloadJson)
            + ".c2ln";
    return new JwtDecodeReport(json, Clock.fixed(now, ZoneOffset.UTC))
        .render(new JwtDecoder(json).decode(token));
  }

  @Test
  void renderWhenGoogleTokenThenPrettyJsonIsoTimesStatusAndNotVerifiedLine() throws Exception {
    String report =
        render(
            "{\"iss\":\"https://accounts.google.com\",\"iat\":1716235422,\"exp\":1716239022}", NOW);

    assertThat(report)
        .isEqualTo(
            """
            Header:
            {
              "alg": "RS256",
              "kid": "k1"
            }
            Payload:
            {
              "iss": "https://accounts.google.com",
              "iat": 1716235422,
              "exp": 1716239022
            }
            Times (UTC):
              iat       1716235422   2024-05-20T20:03:42Z
              exp       1716239022   2024-05-20T21:03:42Z
            Status: expires in 32 min
            Signature NOT verified (decoded locally; the token was not sent anywhere).
            """);
  }

  static Stream<Arguments> statuses() {
    return Stream.of(
        Arguments.of(
            Named.of("expires in 52 min", "{\"exp\":1716239022}"),
            Instant.parse("2024-05-20T20:11:42Z"),
            "Status: expires in 52 min"),
        Arguments.of(
            Named.of("expired 3 h ago", "{\"exp\":1716239022}"),
            Instant.parse("2024-05-21T00:03:42Z"),
            "Status: EXPIRED 3 h ago"),
        Arguments.of(
            Named.of("expired 45 s ago", "{\"exp\":1716239022}"),
            Instant.parse("2024-05-20T21:04:27Z"),
            "Status: EXPIRED 45 s ago"),
        Arguments.of(
            Named.of("no exp", "{\"sub\":\"x\"}"),
            NOW,
            "Status: no exp claim: the token never expires"),
        Arguments.of(
            Named.of("exp not a number", "{\"exp\":\"soon\"}"),
            NOW,
            "Status: exp is not a number: the token is malformed"),
        Arguments.of(
            Named.of("nbf in the future", "{\"nbf\":1716239022,\"exp\":1716242622}"),
            Instant.parse("2024-05-20T20:58:42Z"),
            "Status: NOT YET VALID, nbf in 5 min"),
        Arguments.of(
            Named.of("auth_time shown", "{\"auth_time\":1716235422}"),
            NOW,
            "  auth_time 1716235422   2024-05-20T20:03:42Z"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("statuses")
  void renderWhenTimesVaryThenStatusLine(String payload, Instant now, String expectedLine)
      throws Exception {
    assertThat(render(payload, now).lines()).contains(expectedLine);
  }

  @Test
  void renderWhenUnsignedThenSaysSo() throws Exception {
    String token = JwtDecoderTest.b64("{\"alg\":\"none\"}") + "." + JwtDecoderTest.b64("{}") + ".";

    String report =
        new JwtDecodeReport(json, Clock.fixed(NOW, ZoneOffset.UTC))
            .render(new JwtDecoder(json).decode(token));

    assertThat(report).contains("The token has no signature (an unsecured JWT, RFC 7519 §6).");
  }

  @Test
  void humanWhenDurationsThenCompactUnits() {
    assertThat(JwtDecodeReport.human(Duration.ofSeconds(59))).isEqualTo("59 s");
    assertThat(JwtDecodeReport.human(Duration.ofMinutes(52).plusSeconds(59))).isEqualTo("52 min");
    assertThat(JwtDecodeReport.human(Duration.ofHours(3))).isEqualTo("3 h");
    assertThat(JwtDecodeReport.human(Duration.ofMinutes(185))).isEqualTo("3 h 5 min");
    assertThat(JwtDecodeReport.human(Duration.ofDays(4))).isEqualTo("4 d");
  }
}
