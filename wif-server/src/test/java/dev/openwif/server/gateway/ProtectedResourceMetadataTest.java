package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ProtectedResourceMetadataTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ProtectedResourceMetadata forIssuer(String issuer) {
    return new ProtectedResourceMetadata(JSON, issuer, issuer + "/v1");
  }

  @Test
  void whenPublicUrlHasNoPathThenOnePathPerDocument() {
    ProtectedResourceMetadata metadata = forIssuer("https://wif.example.com");

    assertThat(metadata.apiMetadataUrl())
        .isEqualTo("https://wif.example.com/.well-known/oauth-protected-resource/v1");
    assertThat(metadata.identifiersByPath())
        .containsExactly(
            entry("/.well-known/oauth-protected-resource/v1", "https://wif.example.com/v1"),
            entry("/.well-known/oauth-protected-resource", "https://wif.example.com"));
  }

  @Test
  void whenPublicUrlHasAPathThenEachDocumentAtItsRfcPathAndWithoutThePublicPath() {
    ProtectedResourceMetadata metadata = forIssuer("https://gw.example.com/wif");

    assertThat(metadata.apiMetadataUrl())
        .isEqualTo("https://gw.example.com/.well-known/oauth-protected-resource/wif/v1");
    assertThat(metadata.identifiersByPath())
        .containsExactly(
            entry("/.well-known/oauth-protected-resource/wif/v1", "https://gw.example.com/wif/v1"),
            entry("/.well-known/oauth-protected-resource/wif", "https://gw.example.com/wif"),
            entry("/.well-known/oauth-protected-resource/v1", "https://gw.example.com/wif/v1"),
            entry("/.well-known/oauth-protected-resource", "https://gw.example.com/wif"));
  }

  @Test
  void whenPublicPathIsV1ThenTheSharedPathServesTheDocumentWhoseUrlItIs() {
    ProtectedResourceMetadata metadata = forIssuer("https://gw.example.com/v1");

    // the root's RFC path, /.well-known/oauth-protected-resource/v1, is also where the API's
    // document would be with the public path left out: it stays the root's
    assertThat(metadata.identifiersByPath())
        .containsExactly(
            entry("/.well-known/oauth-protected-resource/v1/v1", "https://gw.example.com/v1/v1"),
            entry("/.well-known/oauth-protected-resource/v1", "https://gw.example.com/v1"),
            entry("/.well-known/oauth-protected-resource", "https://gw.example.com/v1"));
  }

  @Test
  void whenResourceNotUnderTheIssuerThenRefused() {
    assertThatThrownBy(
            () ->
                new ProtectedResourceMetadata(
                    JSON, "https://gw.example.com/wif", "https://gw.example.com/wifx/v1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not under the issuer");
  }
}
