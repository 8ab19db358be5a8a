package dev.openwif.server.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.exchange.ExchangeOutcome;
import dev.openwif.exchange.OAuthError;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TokenResponsesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ExchangeOutcome.Issued issued(String token, long expiresIn) {
    return new ExchangeOutcome.Issued(
        token,
        expiresIn,
        Instant.parse("2026-01-01T00:00:00Z"),
        "jti-1",
        "wip_1",
        "rule_1",
        "sa_1",
        Set.of("a"));
  }

  @Test
  void issuedBodyWhenTokenIssuedThenRfc8693JsonThatAParserReads() throws Exception {
    JsonNode body = JSON.readTree(TokenResponses.issuedBody(issued("aGVhZA.cGF5-_.c2ln", 3599)));

    assertThat(body.size()).isEqualTo(4);
    assertThat(body.get("access_token").asText()).isEqualTo("aGVhZA.cGF5-_.c2ln");
    assertThat(body.get("issued_token_type").asText())
        .isEqualTo("urn:ietf:params:oauth:token-type:access_token");
    assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.get("expires_in").isIntegralNumber()).isTrue();
    assertThat(body.get("expires_in").asLong()).isEqualTo(3599);
  }

  @Test
  void issuedBodyWhenTokenIsNotACompactJwsThenRefusedRatherThanWrittenUnescaped() {
    assertThatThrownBy(() -> TokenResponses.issuedBody(issued("a\"b.c.d", 60)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageNotContaining("a\"b");
  }

  static Stream<Arguments> statuses() {
    return Stream.of(
        Arguments.of(OAuthError.INVALID_REQUEST, 400),
        Arguments.of(OAuthError.UNSUPPORTED_GRANT_TYPE, 400),
        Arguments.of(OAuthError.INVALID_TARGET, 400),
        Arguments.of(OAuthError.INVALID_GRANT, 401),
        Arguments.of(OAuthError.TEMPORARILY_UNAVAILABLE, 503));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("statuses")
  void statusOfWhenErrorThenOnly400Or401ForRefusalsAnd503ForUnavailability(
      OAuthError error, int status) {
    assertThat(TokenResponses.statusOf(error)).isEqualTo(status);
  }
}
