package dev.openwif.client.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.client.ScriptedHttpServer;
import dev.openwif.client.ScriptedHttpServer.Reply;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AzureManagedIdentityTokenProviderTest {
  private final ScriptedHttpServer imds = ScriptedHttpServer.start();

  @AfterEach
  void stop() {
    imds.close();
  }

  private AzureManagedIdentityTokenProvider.Builder provider() {
    return AzureManagedIdentityTokenProvider.builder("api://openwif").endpoint(imds.uri(""));
  }

  @Test
  void getTokenWhenImdsAnswersThenAccessTokenFromJsonWithMetadataHeader() throws Exception {
    imds.otherwise(Reply.json(200, "{\"access_token\":\"entra.jwt.sig\",\"expires_in\":\"3599\"}"));

    String token = provider().clientId("11111111-2222").build().getToken();

    assertThat(token).isEqualTo("entra.jwt.sig");
    ScriptedHttpServer.Recorded request = imds.requests().get(0);
    assertThat(request.uri().getPath()).isEqualTo("/metadata/identity/oauth2/token");
    assertThat(request.uri().getRawQuery())
        .isEqualTo("api-version=2018-02-01&resource=api%3A%2F%2Fopenwif&client_id=11111111-2222");
    assertThat(request.header("Metadata")).isEqualTo("true");
  }

  @Test
  void getTokenWhenStatusNotOkThenErrorSaysTheStatus() {
    imds.otherwise(Reply.json(400, "{\"error\":\"invalid_request\"}"));

    assertThatThrownBy(() -> provider().build().getToken())
        .isInstanceOf(IOException.class)
        .hasMessage("Azure IMDS token request failed with status 400.");
  }

  @Test
  void getTokenWhenNoAccessTokenThenErrorSaysSo() {
    imds.otherwise(Reply.json(200, "{\"token_type\":\"Bearer\"}"));

    assertThatThrownBy(() -> provider().build().getToken())
        .isInstanceOf(IOException.class)
        .hasMessage("Azure IMDS did not return a token (no \"access_token\" in its response).");
  }
}
