package dev.openwif.client.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.UnauthorizedException;
import com.openai.models.models.Model;
import dev.openwif.client.ScriptedHttpServer;
import dev.openwif.client.ScriptedHttpServer.Reply;
import dev.openwif.client.SubjectTokenProvider;
import dev.openwif.client.WorkloadIdentityCredentials;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiWorkloadIdentityTest {
  private static final String MODELS =
      "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4.1-mini\",\"object\":\"model\",\"created\":1,"
          + "\"owned_by\":\"openwif\"}]}";
  private final ScriptedHttpServer tokenEndpoint = ScriptedHttpServer.start();
  private final ScriptedHttpServer api = ScriptedHttpServer.start();

  @AfterEach
  void stop() {
    tokenEndpoint.close();
    api.close();
  }

  private WorkloadIdentityCredentials credentials() {
    return WorkloadIdentityCredentials.builder()
        .identityProviderId("wip")
        .serviceAccountId("sa")
        .provider(SubjectTokenProvider.jwt(() -> "subject"))
        .tokenUrl(tokenEndpoint.uri("/oauth/token"))
        .build();
  }

  @Test
  void credentialWhenUsedByOpenAiOkHttpClientThenEveryRequestCarriesTheCachedToken() {
    tokenEndpoint.then(Reply.tokenExchange("at-1", 3600));
    api.otherwise(Reply.json(200, MODELS));
    OpenAIClient client =
        OpenAIOkHttpClient.builder()
            .baseUrl(api.uri("/v1").toString())
            .credential(OpenAiWorkloadIdentity.credential(credentials()))
            .build();

    List<Model> first = client.models().list().data();
    client.models().list();

    assertThat(first).extracting(Model::id).containsExactly("gpt-4.1-mini");
    assertThat(api.requests()).hasSize(2);
    assertThat(api.requests())
        .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer at-1"));
    assertThat(tokenEndpoint.requestCount()).isEqualTo(1);
  }

  @Test
  void clientWhenApiAnswers401ThenTokenIsInvalidatedAndTheRequestReplayedOnce() {
    tokenEndpoint
        .then(Reply.tokenExchange("at-revoked", 3600))
        .then(Reply.tokenExchange("at-fresh", 3600));
    api.then(
            Reply.json(
                401, "{\"error\":{\"message\":\"revoked\",\"type\":\"invalid_request_error\"}}"))
        .otherwise(Reply.json(200, MODELS));

    List<Model> models =
        OpenAiWorkloadIdentity.client(api.uri("/v1").toString(), credentials())
            .models()
            .list()
            .data();

    assertThat(models).hasSize(1);
    assertThat(api.requests())
        .extracting(r -> r.header("Authorization"))
        .containsExactly("Bearer at-revoked", "Bearer at-fresh");
    assertThat(tokenEndpoint.requestCount()).isEqualTo(2);
  }

  @Test
  void clientWhenApiAnswers401TwiceThenUnauthorizedSurfaces() {
    tokenEndpoint.otherwise(Reply.tokenExchange("at-any", 3600));
    api.otherwise(
        Reply.json(
            401, "{\"error\":{\"message\":\"revoked\",\"type\":\"invalid_request_error\"}}"));

    assertThatThrownBy(
            () ->
                OpenAiWorkloadIdentity.client(api.uri("/v1").toString(), credentials())
                    .models()
                    .list())
        .isInstanceOf(UnauthorizedException.class);
    assertThat(api.requests()).hasSize(2);
  }
}
