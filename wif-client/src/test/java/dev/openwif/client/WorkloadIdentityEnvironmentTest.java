package dev.openwif.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.client.ScriptedHttpServer.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WorkloadIdentityEnvironmentTest {
  private static final Map<String, String> COMPLETE =
      Map.of(
          "OPENAI_IDENTITY_PROVIDER_ID", "wip_1",
          "OPENAI_SERVICE_ACCOUNT_ID", "sa_1",
          "OPENAI_WIF_AUDIENCE", "https://api.openai.com/v1");

  static Stream<Named<String>> requiredVariables() {
    return COMPLETE.keySet().stream().sorted().map(name -> Named.of("without " + name, name));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requiredVariables")
  void builderWhenVariableMissingThenFailsWithTheGuidesMessage(String missing) {
    Map<String, String> env = new HashMap<>(COMPLETE);
    env.remove(missing);

    assertThatThrownBy(() -> WorkloadIdentityEnvironment.builder(env))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Set OPENAI_IDENTITY_PROVIDER_ID, OPENAI_SERVICE_ACCOUNT_ID, and OPENAI_WIF_AUDIENCE");
  }

  @Test
  void builderWhenVariableBlankThenTreatedAsMissing() {
    Map<String, String> env = new HashMap<>(COMPLETE);
    env.put("OPENAI_SERVICE_ACCOUNT_ID", "  ");

    assertThatThrownBy(() -> WorkloadIdentityEnvironment.builder(env))
        .hasMessage(
            "Set OPENAI_IDENTITY_PROVIDER_ID, OPENAI_SERVICE_ACCOUNT_ID, and OPENAI_WIF_AUDIENCE");
  }

  @Test
  void credentialsWhenCompleteThenMetadataTokenIsExchangedAtTheConfiguredTokenUrl()
      throws Exception {
    try (ScriptedHttpServer metadata = ScriptedHttpServer.start();
        ScriptedHttpServer endpoint = ScriptedHttpServer.start()) {
      metadata.otherwise(Reply.text(200, "google.id.token"));
      endpoint.otherwise(Reply.tokenExchange("at-env", 3600));
      Map<String, String> env = new HashMap<>(COMPLETE);
      env.put("GCE_METADATA_HOST", metadata.hostAndPort());
      env.put("OPENAI_WIF_TOKEN_URL", endpoint.uri("/oauth/token").toString());

      String token = WorkloadIdentityEnvironment.credentials(env).accessToken();

      assertThat(token).isEqualTo("at-env");
      assertThat(metadata.requests().get(0).uri().getRawQuery())
          .isEqualTo("audience=https%3A%2F%2Fapi.openai.com%2Fv1&format=full");
      var body = new ObjectMapper().readTree(endpoint.requests().get(0).body());
      assertThat(body.get("subject_token").asText()).isEqualTo("google.id.token");
      assertThat(body.get("identity_provider_id").asText()).isEqualTo("wip_1");
      assertThat(body.get("service_account_id").asText()).isEqualTo("sa_1");
    }
  }

  @Test
  void credentialsWhenTokenFileSetThenAudienceIsNotNeededAndTheFileIsUsed(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "k8s.jwt\n");
    try (ScriptedHttpServer endpoint = ScriptedHttpServer.start()) {
      endpoint.otherwise(Reply.tokenExchange("at-file", 3600));
      Map<String, String> env =
          Map.of(
              "OPENAI_IDENTITY_PROVIDER_ID",
              "wip_1",
              "OPENAI_SERVICE_ACCOUNT_ID",
              "sa_1",
              "OPENAI_WIF_TOKEN_FILE",
              file.toString(),
              "OPENAI_WIF_TOKEN_URL",
              endpoint.uri("/oauth/token").toString());

      assertThat(WorkloadIdentityEnvironment.credentials(env).accessToken()).isEqualTo("at-file");
      assertThat(
              new ObjectMapper()
                  .readTree(endpoint.requests().get(0).body())
                  .get("subject_token")
                  .asText())
          .isEqualTo("k8s.jwt");
    }
  }

  @Test
  void builderWhenTokenFileSetButIdsMissingThenSaysWhichAreNeeded() {
    assertThatThrownBy(
            () -> WorkloadIdentityEnvironment.builder(Map.of("OPENAI_WIF_TOKEN_FILE", "/t")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Set OPENAI_IDENTITY_PROVIDER_ID and OPENAI_SERVICE_ACCOUNT_ID");
  }
}
