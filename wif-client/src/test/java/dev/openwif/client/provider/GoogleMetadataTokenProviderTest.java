package dev.openwif.client.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.client.ScriptedHttpServer;
import dev.openwif.client.ScriptedHttpServer.Reply;
import dev.openwif.client.SubjectTokenType;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GoogleMetadataTokenProviderTest {
  private final ScriptedHttpServer metadata = ScriptedHttpServer.start();

  @AfterEach
  void stop() {
    metadata.close();
  }

  private GoogleMetadataTokenProvider.Builder provider() {
    return GoogleMetadataTokenProvider.builder("https://api.openai.com/v1")
        .environment(Map.of("GCE_METADATA_HOST", metadata.hostAndPort()));
  }

  @Test
  void getTokenWhenMetadataAnswersThenTrimmedTokenFromIdentityPathWithFlavorHeaderAndFullFormat()
      throws Exception {
    metadata.otherwise(Reply.text(200, "eyJhbGciOi.payload.sig\n"));

    String token = provider().build().getToken();

    assertThat(token).isEqualTo("eyJhbGciOi.payload.sig");
    ScriptedHttpServer.Recorded request = metadata.requests().get(0);
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.uri().getPath())
        .isEqualTo("/computeMetadata/v1/instance/service-accounts/default/identity");
    assertThat(request.uri().getRawQuery())
        .isEqualTo("audience=https%3A%2F%2Fapi.openai.com%2Fv1&format=full");
    assertThat(request.header("Metadata-Flavor")).isEqualTo("Google");
  }

  @Test
  void getTokenWhenFormatFullDisabledThenOnlyAudienceIsAsked() throws Exception {
    metadata.otherwise(Reply.text(200, "tok"));

    provider().formatFull(false).build().getToken();

    assertThat(metadata.requests().get(0).uri().getRawQuery())
        .isEqualTo("audience=https%3A%2F%2Fapi.openai.com%2Fv1");
  }

  @Test
  void getTokenWhenStatusNotOkThenErrorSaysTheStatus() {
    metadata.otherwise(Reply.text(404, "Not Found"));

    assertThatThrownBy(() -> provider().build().getToken())
        .isInstanceOf(IOException.class)
        .hasMessage("Google metadata token request failed with status 404.");
  }

  @Test
  void getTokenWhenBodyEmptyThenErrorSaysNoIdentityToken() {
    metadata.otherwise(Reply.text(200, "  \n"));

    assertThatThrownBy(() -> provider().build().getToken())
        .isInstanceOf(IOException.class)
        .hasMessage("Google metadata server did not return an identity token.");
  }

  @Test
  void getTokenWhenServerSlowerThanTimeoutThenFailsNamingTheServer() {
    metadata.otherwise(Reply.text(200, "late").delayedBy(Duration.ofSeconds(3)));

    assertThatThrownBy(() -> provider().timeout(Duration.ofMillis(200)).build().getToken())
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(
            "Google metadata request to http://"
                + metadata.hostAndPort()
                + "/computeMetadata/v1/instance/service-accounts/default/identity failed");
  }

  @Test
  void builderWhenNoEnvironmentOverrideThenUsesTheMetadataHostName() {
    GoogleMetadataTokenProvider provider =
        GoogleMetadataTokenProvider.builder("aud").environment(Map.of()).build();

    assertThat(provider.uri().toString())
        .isEqualTo(
            "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/identity"
                + "?audience=aud&format=full");
    assertThat(provider.tokenType()).isEqualTo(SubjectTokenType.JWT);
    assertThat(provider.description())
        .isEqualTo("Google metadata server at metadata.google.internal");
  }

  @Test
  void builderWhenHostIsAUrlThenRefused() {
    assertThatThrownBy(() -> GoogleMetadataTokenProvider.builder("aud").host("http://evil/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host or host:port");
    assertThatThrownBy(() -> GoogleMetadataTokenProvider.builder(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("audience must not be blank");
  }
}
