package dev.openwif.federation.admin;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.federation.AdminValidationException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IssuerUrlTest {

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of(Named.of("Google", "https://accounts.google.com"), false),
        Arguments.of(
            Named.of(
                "GKE cluster issuer with path",
                "https://container.googleapis.com/v1/projects/p/locations/l/clusters/c"),
            false),
        Arguments.of(Named.of("port", "https://issuer.example.com:8443"), false),
        Arguments.of(Named.of("http in dev", "http://127.0.0.1:8082"), true),
        Arguments.of(Named.of("https loopback in dev", "https://localhost:9443"), true));
  }

  @ParameterizedTest
  @MethodSource("accepted")
  void checkWhenValidThenAccepted(String url, boolean dev) {
    assertThatCode(() -> IssuerUrl.check("issuer", url, dev)).doesNotThrowAnyException();
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of(Named.of("empty", ""), false, "must not be empty"),
        Arguments.of(Named.of("http outside dev", "http://issuer.example.com"), false, "https"),
        Arguments.of(Named.of("other scheme", "ftp://issuer.example.com"), true, "https"),
        Arguments.of(Named.of("relative", "/issuer"), false, "https"),
        Arguments.of(Named.of("no host", "https:///path"), false, "host"),
        Arguments.of(Named.of("query", "https://issuer.example.com/?a=b"), false, "query"),
        Arguments.of(Named.of("fragment", "https://issuer.example.com/#frag"), false, "fragment"),
        Arguments.of(
            Named.of("user info", "https://user@issuer.example.com"), false, "user information"),
        Arguments.of(Named.of("loopback name outside dev", "https://localhost"), false, "loopback"),
        Arguments.of(
            Named.of("loopback address outside dev", "https://127.0.0.1:8443"), false, "loopback"),
        Arguments.of(
            Named.of("IPv6 loopback outside dev", "https://[::1]:8443"), false, "loopback"),
        Arguments.of(Named.of("not a URL", "https://exa mple.com"), false, "not a valid URL"),
        Arguments.of(
            Named.of("too long", "https://e.com/" + "a".repeat(2100)), false, "at most 2048"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void checkWhenInvalidThenRefusedNamingParam(String url, boolean dev, String fragment) {
    assertThatThrownBy(() -> IssuerUrl.check("issuer", url, dev))
        .isInstanceOf(AdminValidationException.class)
        .hasMessageContaining(fragment)
        .extracting(e -> ((AdminValidationException) e).param())
        .isEqualTo("issuer");
  }
}
