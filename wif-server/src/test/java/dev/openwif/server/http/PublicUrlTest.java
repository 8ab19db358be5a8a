package dev.openwif.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PublicUrlTest {
  @ParameterizedTest
  @CsvSource({
    "https://wif.example.com, https://wif.example.com, ''",
    "https://wif.example.com/, https://wif.example.com, ''",
    "http://127.0.0.1:8080, http://127.0.0.1:8080, ''",
    "http://[::1]:8080/, http://[::1]:8080, ''",
    "https://gw.example.com/wif, https://gw.example.com, /wif",
    "https://gw.example.com/wif/, https://gw.example.com, /wif",
    "https://gw.example.com:8443/a/b-c.d_e~f, https://gw.example.com:8443, /a/b-c.d_e~f",
  })
  void parseWhenUsableThenOriginAndPathWithoutTrailingSlash(
      String url, String origin, String path) {
    PublicUrl parsed = PublicUrl.parse(url);

    assertThat(parsed.origin()).isEqualTo(origin);
    assertThat(parsed.path()).isEqualTo(path);
    assertThat(parsed.url())
        .isEqualTo(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "wif.example.com| must start with http:// or https://",
        "ftp://wif.example.com| must start with http:// or https://",
        "http:wif| must start with http:// or https://",
        "http:///wif| names no host",
        "https://user:pw@wif.example.com| user information",
        "https://wif.example.com/?a=b| no query",
        "https://wif.example.com/wif#top| no fragment",
        "https://wif.example.com/a b| not a URL",
        "https://wif.example.com//| only letters, digits",
        "https://wif.example.com/a//b| only letters, digits",
        "https://wif.example.com/a*| only letters, digits",
        "https://wif.example.com/%7Ewif| only letters, digits",
        "https://wif.example.com/a/../b| no . or .. segment",
        "https://wif.example.com/./b| no . or .. segment",
      })
  void parseWhenNotUsableThenTheReasonAndTheUrlUnlessItMayHoldACredential(
      String url, String reason) {
    boolean secret = url.contains("@") || url.contains("?") || url.contains("#");

    assertThatThrownBy(() -> PublicUrl.parse(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            secret
                ? "the public URL (not shown: it may hold a credential) is not usable"
                : "the public URL '" + url + "' is not usable")
        .hasMessageContaining(reason);
    if (secret) {
      assertThatThrownBy(() -> PublicUrl.parse(url)).hasMessageNotContaining(url);
    }
  }

  @Test
  void wellKnownUrlWhenNoPathThenTheSuffixAfterTheWellKnownSegment() {
    PublicUrl url = PublicUrl.parse("https://wif.example.com");

    assertThat(url.wellKnownUrl("oauth-protected-resource", "/v1"))
        .isEqualTo("https://wif.example.com/.well-known/oauth-protected-resource/v1");
    assertThat(url.wellKnownUrl("oauth-authorization-server", ""))
        .isEqualTo("https://wif.example.com/.well-known/oauth-authorization-server");
    assertThat(url.wellKnownPaths("oauth-protected-resource", "/v1"))
        .containsExactly("/.well-known/oauth-protected-resource/v1");
  }

  @Test
  void wellKnownUrlWhenPathThenTheWellKnownSegmentBetweenOriginAndPath() {
    PublicUrl url = PublicUrl.parse("https://gw.example.com/wif");

    assertThat(url.wellKnownUrl("oauth-protected-resource", "/v1"))
        .isEqualTo("https://gw.example.com/.well-known/oauth-protected-resource/wif/v1");
    assertThat(url.wellKnownUrl("oauth-authorization-server", ""))
        .isEqualTo("https://gw.example.com/.well-known/oauth-authorization-server/wif");
    assertThat(url.wellKnownPaths("oauth-protected-resource", "/v1"))
        .containsExactly(
            "/.well-known/oauth-protected-resource/wif/v1",
            "/.well-known/oauth-protected-resource/v1");
    assertThat(url.wellKnownPaths("oauth-authorization-server", ""))
        .containsExactly(
            "/.well-known/oauth-authorization-server/wif",
            "/.well-known/oauth-authorization-server");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a/b"})
  void wellKnownPathsWhenNameIsNoSuffixThenRefused(String name) {
    PublicUrl url = PublicUrl.parse("https://gw.example.com/wif");

    assertThatThrownBy(() -> url.wellKnownPaths(name, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a well-known URI suffix");
  }

  @Test
  void wellKnownPathsWhenSuffixLacksItsSlashThenRefused() {
    PublicUrl url = PublicUrl.parse("https://gw.example.com/wif");

    assertThatThrownBy(() -> url.wellKnownPaths("oauth-protected-resource", "v1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be empty or start with /");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://h:99999", "https://h:", "https://h:0", "http://:8080"})
  void parseWhenPortOrHostUnusableThenRefused(String url) {
    assertThatThrownBy(() -> PublicUrl.parse(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not usable");
  }

  @Test
  void parseWhenSchemeOrHostInUpperCaseThenWrittenInLowerCase() {
    assertThat(PublicUrl.parse("HTTPS://GW.Example.com:8443/Wif").url())
        .isEqualTo("https://gw.example.com:8443/Wif");
  }

  @Test
  void parseWhenUrlMayHoldACredentialThenNeitherItNorItsPathIsShown() {
    assertThatThrownBy(() -> PublicUrl.parse("https://h/x@secret"))
        .hasMessageNotContaining("secret");
  }
}
