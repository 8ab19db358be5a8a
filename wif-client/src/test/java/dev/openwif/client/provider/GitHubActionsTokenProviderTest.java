package dev.openwif.client.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.client.ScriptedHttpServer;
import dev.openwif.client.ScriptedHttpServer.Reply;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GitHubActionsTokenProviderTest {
  private final ScriptedHttpServer runner = ScriptedHttpServer.start();

  @AfterEach
  void stop() {
    runner.close();
  }

  private GitHubActionsTokenProvider provider() {
    return GitHubActionsTokenProvider.fromEnvironment(
        Map.of(
            "ACTIONS_ID_TOKEN_REQUEST_URL",
            runner.uri("/_apis/token?api-version=2.0").toString(),
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
            "request-token"),
        "https://api.openai.com/v1");
  }

  @Test
  void getTokenWhenRunnerAnswersThenValueWithBearerRequestTokenAndAudience() throws Exception {
    runner.otherwise(Reply.json(200, "{\"count\":1,\"value\":\"gha.jwt.sig\"}"));

    String token = provider().getToken();

    assertThat(token).isEqualTo("gha.jwt.sig");
    ScriptedHttpServer.Recorded request = runner.requests().get(0);
    assertThat(request.uri().getRawQuery())
        .isEqualTo("api-version=2.0&audience=https%3A%2F%2Fapi.openai.com%2Fv1");
    assertThat(request.header("Authorization")).isEqualTo("bearer request-token");
  }

  @Test
  void getTokenWhenUnauthorizedThenErrorSaysTheStatus() {
    runner.otherwise(Reply.json(401, "{}"));

    assertThatThrownBy(() -> provider().getToken())
        .isInstanceOf(IOException.class)
        .hasMessage("GitHub Actions OIDC token request failed with status 401.");
  }

  @Test
  void fromEnvironmentWhenVariablesMissingThenSaysWhichAndWhy() {
    assertThatThrownBy(() -> GitHubActionsTokenProvider.fromEnvironment(Map.of(), "aud"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Set ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN "
                + "(give the job the permission id-token: write)");
  }
}
