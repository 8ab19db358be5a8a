package dev.openwif.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks {@link AdminApiClient} makes before anything is sent. */
class AdminApiClientTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "https://wif.example.com,https://wif.example.com",
    "https://wif.example.com/,https://wif.example.com",
    "https://wif.example.com:8443/wif/,https://wif.example.com:8443/wif",
    "http://127.0.0.1:8080,http://127.0.0.1:8080",
    "http://localhost:8080,http://localhost:8080",
    "http://[::1]:8080,http://[::1]:8080",
  })
  void serverUrlWhenAcceptedThenNormalised(String given, String expected) {
    assertThat(AdminApiClient.serverUrl(given)).hasToString(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "http://wif.example.com,clear text",
    "http://10.0.0.5:8080,clear text",
    "ftp://wif.example.com,must start with https://",
    "wif.example.com,must start with https://",
    "https://wif.example.com?x=1,must not have a query",
    "https://user@wif.example.com,must name a host",
    "https://,is not a URL",
  })
  void serverUrlWhenRefusedThenTheMessageSaysWhy(String given, String reason) {
    assertThatThrownBy(() -> AdminApiClient.serverUrl(given))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "a?b", "a#b", "a b", "../x"})
  void segmentWhenSpecialCharactersThenOneEncodedSegment(String id) {
    String segment = AdminApiClient.segment(id);

    assertThat(segment).doesNotContain("/", "?", "#", " ", "+");
  }

  @Test
  void constructorWhenBlankKeyThenRefused() {
    assertThatThrownBy(() -> new AdminApiClient("https://wif.example.com", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the admin key is empty");
  }
}
