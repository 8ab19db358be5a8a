package dev.openwif.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubjectTokenProviderTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "JWT, urn:ietf:params:oauth:token-type:jwt",
    "ID_TOKEN, urn:ietf:params:oauth:token-type:id_token"
  })
  void urnWhenTokenTypeThenRfc8693Identifier(SubjectTokenType type, String urn) {
    assertThat(type.urn()).isEqualTo(urn);
  }

  @Test
  void ofWhenLambdaReturnsPaddedTokenThenTrimmed() throws Exception {
    SubjectTokenProvider provider =
        SubjectTokenProvider.of(SubjectTokenType.ID_TOKEN, "mine", () -> " tok\n");

    assertThat(provider.getToken()).isEqualTo("tok");
    assertThat(provider.tokenType()).isEqualTo(SubjectTokenType.ID_TOKEN);
    assertThat(provider.description()).isEqualTo("mine");
  }

  @Test
  void ofWhenLambdaReturnsEmptyThenErrorNamesTheProvider() {
    SubjectTokenProvider provider =
        SubjectTokenProvider.of(SubjectTokenType.JWT, "vault agent", () -> "");

    assertThatThrownBy(provider::getToken)
        .isInstanceOf(IOException.class)
        .hasMessage("vault agent returned an empty subject token.");
  }

  @Test
  void jwtWhenCreatedThenTypeIsJwt() {
    assertThat(SubjectTokenProvider.jwt(() -> "t").tokenType()).isEqualTo(SubjectTokenType.JWT);
  }
}
