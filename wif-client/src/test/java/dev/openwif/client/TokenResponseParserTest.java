package dev.openwif.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenResponseParserTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void parseWhenCompleteResponseThenTokenWithLifetime() {
    AccessToken token =
        TokenResponseParser.parse(
            json,
            "{\"access_token\":\"at.x-y_z\",\"issued_token_type\":\"urn:ietf:params:oauth:token-type:access_token\","
                + "\"token_type\":\"Bearer\",\"expires_in\":900}",
            NOW,
            1);

    assertThat(token.value()).isEqualTo("at.x-y_z");
    assertThat(token.issuedTokenType()).isEqualTo("urn:ietf:params:oauth:token-type:access_token");
    assertThat(token.expiresAt()).isEqualTo(NOW.plusSeconds(900));
  }

  @Test
  void parseWhenExpiresInAbsentThenAssumes3600Seconds() {
    AccessToken token =
        TokenResponseParser.parse(
            json, "{\"access_token\":\"at\",\"token_type\":\"bearer\"}", NOW, 1);

    assertThat(token.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not JSON                 | <html>oops</html>                                   | the body"
            + " is not JSON",
        "JSON array               | []                                                  | the body"
            + " is not a JSON object",
        "no access_token          | {\"expires_in\":3600}                               |"
            + " access_token is missing",
        "empty access_token       | {\"access_token\":\"\"}                             |"
            + " access_token is missing",
        "token with space         | {\"access_token\":\"a b\"}                          |"
            + " whitespace or non-printable",
        "token with trailing tab  | {\"access_token\":\"ab\\t\"}                        |"
            + " whitespace or non-printable",
        "token non-ASCII          | {\"access_token\":\"abé\"}                          |"
            + " whitespace or non-printable",
        "expires_in zero          | {\"access_token\":\"a\",\"expires_in\":0}           |"
            + " expires_in is not positive",
        "expires_in negative      | {\"access_token\":\"a\",\"expires_in\":-5}          |"
            + " expires_in is not positive",
        "expires_in string        | {\"access_token\":\"a\",\"expires_in\":\"3600\"}    |"
            + " expires_in is not an integer",
        "expires_in fraction      | {\"access_token\":\"a\",\"expires_in\":1.5}         |"
            + " expires_in is not an integer",
        "token_type mac           | {\"access_token\":\"a\",\"token_type\":\"mac\"}     |"
            + " token_type is mac, not Bearer",
      })
  void parseWhenInvalidResponseThenEndpointExceptionSaysWhy(
      String name, String body, String reason) {
    assertThatThrownBy(() -> TokenResponseParser.parse(json, body, NOW, 2))
        .isInstanceOfSatisfying(
            TokenEndpointException.class,
            e -> {
              assertThat(e.getMessage())
                  .startsWith("Token endpoint returned an invalid success response: ")
                  .contains(reason);
              assertThat(e.statusCode()).contains(200);
              assertThat(e.attempts()).isEqualTo(2);
            });
  }
}
