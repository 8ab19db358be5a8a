package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ForwardedPathTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/v1/models",
        "/v1/models/gpt-4.1-mini",
        "/v1/files/file-abc/content",
        "/v1/vector_stores/vs_1/files/",
        "/v1/models/name%20with%20space"
      })
  void ofWhenCanonicalThenTheRestAfterV1(String rawPath) {
    assertThat(ForwardedPath.of(rawPath)).contains(rawPath.substring(3));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/v1",
        "/v2/models",
        "/v1x/models",
        "/v1/../admin",
        "/v1/models/..",
        "/v1/./models",
        "/v1/models/.",
        "/v1//models",
        "/v1/models;jsessionid=1",
        "/v1/models\\\\files",
        "/v1/models%2ffiles",
        "/v1/models%2Ffiles",
        "/v1/models%5Cfiles",
        "/v1/%2e%2e/admin",
        "/v1/%2E%2E/admin",
        "/v1/models%3bx",
        "/v1/models%252e%252e",
        "http://host/v1/models"
      })
  void ofWhenRoutingWouldSeeAnotherPathThenRefused(String rawPath) {
    assertThat(ForwardedPath.of(rawPath)).isEmpty();
  }
}
