package dev.openwif.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.exchange.OAuthError;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TokenResponsesTest {

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
