package dev.openwif.client.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.client.ScriptedHttpServer;
import dev.openwif.client.ScriptedHttpServer.Reply;
import dev.openwif.client.SubjectTokenProvider;
import dev.openwif.client.WorkloadIdentityCredentials;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuthenticatedHttpClientTest {
  private final ScriptedHttpServer tokenEndpoint = ScriptedHttpServer.start();
  private final ScriptedHttpServer api = ScriptedHttpServer.start();

  @AfterEach
  void stop() {
    tokenEndpoint.close();
    api.close();
  }

  private AuthenticatedHttpClient client() {
    WorkloadIdentityCredentials credentials =
        WorkloadIdentityCredentials.builder()
            .identityProviderId("wip")
            .serviceAccountId("sa")
            .provider(SubjectTokenProvider.jwt(() -> "subject"))
            .tokenUrl(tokenEndpoint.uri("/oauth/token"))
            .build();
    return new AuthenticatedHttpClient(HttpClient.newHttpClient(), credentials);
  }

  private HttpRequest post() {
    return HttpRequest.newBuilder(api.uri("/v1/responses"))
        .header("Authorization", "Bearer stale-user-header")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"input\":\"hi\"}"))
        .build();
  }

  @Test
  void sendWhenApiAcceptsThenBearerFromCredentialsReplacesAnyAuthorizationHeader()
      throws Exception {
    tokenEndpoint.then(Reply.tokenExchange("at-1", 3600));
    api.otherwise(Reply.json(200, "{\"ok\":true}"));

    HttpResponse<String> response = client().send(post(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(api.requests()).hasSize(1);
    assertThat(api.requests().get(0).headers().get("Authorization")).containsExactly("Bearer at-1");
    assertThat(tokenEndpoint.requestCount()).isEqualTo(1);
  }

  @Test
  void sendWhenApiAnswers401ThenInvalidatesExchangesAgainAndReplaysOnceWithTheSameBody()
      throws Exception {
    tokenEndpoint
        .then(Reply.tokenExchange("at-revoked", 3600))
        .then(Reply.tokenExchange("at-fresh", 3600));
    api.then(Reply.json(401, "{\"error\":{\"message\":\"revoked\"}}"))
        .otherwise(Reply.json(200, "{}"));

    HttpResponse<String> response = client().send(post(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(tokenEndpoint.requestCount()).isEqualTo(2);
    assertThat(api.requests()).hasSize(2);
    assertThat(api.requests().get(0).header("Authorization")).isEqualTo("Bearer at-revoked");
    assertThat(api.requests().get(1).header("Authorization")).isEqualTo("Bearer at-fresh");
    assertThat(api.requests().get(1).body()).isEqualTo("{\"model\":\"m\",\"input\":\"hi\"}");
  }

  @Test
  void sendWhenApiAnswers401TwiceThenTheSecond401IsReturnedWithoutAThirdTry() throws Exception {
    tokenEndpoint.otherwise(Reply.tokenExchange("at-any", 3600));
    api.otherwise(Reply.json(401, "{}"));

    HttpResponse<String> response = client().send(post(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(api.requests()).hasSize(2);
    assertThat(tokenEndpoint.requestCount()).isEqualTo(2);
  }

  @Test
  void sendWhenApiAnswers403ThenNoReplay() throws Exception {
    tokenEndpoint.otherwise(Reply.tokenExchange("at-1", 3600));
    api.otherwise(Reply.json(403, "{}"));

    HttpResponse<String> response = client().send(post(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(api.requests()).hasSize(1);
    assertThat(tokenEndpoint.requestCount()).isEqualTo(1);
  }
}
