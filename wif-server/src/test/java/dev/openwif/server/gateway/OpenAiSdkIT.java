package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.auth.SubjectTokenProvider;
import com.openai.auth.SubjectTokenType;
import com.openai.auth.WorkloadIdentity;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.models.models.Model;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.TestIssuer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official {@code com.openai:openai-java} SDK as the client, unchanged, against a running
 * server.
 *
 * <p>How the SDK is pointed at OpenWIF: the API base URL is the SDK's own {@code baseUrl} option;
 * the token exchange URL, which the SDK hard-codes ({@code https://auth.openai.com/oauth/token} in
 * {@code WorkloadIdentityAuth}, not configurable), is rewritten by an OkHttp application
 * interceptor added with the SDK builder's public {@code addInterceptor}: application interceptors
 * run before any connection is made, so the request never leaves the machine. The interceptor also
 * counts the exchanges it forwards.
 */
class OpenAiSdkIT {
  private static final String SDK_TOKEN_HOST = "auth.openai.com";

  @TempDir static Path dir;
  static LiveServer server;
  static TestIssuer issuer;

  @BeforeAll
  static void start() {
    server = LiveServer.start(dir);
    issuer = TestIssuer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
    issuer.close();
  }

  /**
   * A subject token provider backed by the test issuer (what a workload's platform would supply).
   */
  record IssuerTokens(Federation federation, AtomicInteger calls) implements SubjectTokenProvider {
    @Override
    public SubjectTokenType tokenType() {
      return SubjectTokenType.JWT;
    }

    @Override
    public String getToken(HttpClient httpClient, JsonMapper jsonMapper) {
      calls.incrementAndGet();
      return federation.subjectToken(Clock.systemUTC());
    }

    @Override
    public CompletableFuture<String> getTokenAsync(HttpClient httpClient, JsonMapper jsonMapper) {
      return CompletableFuture.completedFuture(getToken(httpClient, jsonMapper));
    }
  }

  private static OpenAIClient sdk(Federation federation, AtomicInteger exchangesSent) {
    HttpUrl tokenUrl = HttpUrl.get(server.url() + "/oauth/token");
    Interceptor rewriteTokenOrigin =
        chain -> {
          okhttp3.Request request = chain.request();
          if (request.url().host().equals(SDK_TOKEN_HOST)) {
            exchangesSent.incrementAndGet();
            request = request.newBuilder().url(tokenUrl).build();
          }
          return chain.proceed(request);
        };
    return OpenAIOkHttpClient.builder()
        .baseUrl(server.url() + "/v1")
        .addInterceptor(rewriteTokenOrigin)
        .responseValidation(true)
        .timeout(Duration.ofSeconds(20))
        .workloadIdentity(
            WorkloadIdentity.builder()
                .identityProviderId(federation.providerId())
                .serviceAccountId(federation.accountId())
                .provider(new IssuerTokens(federation, new AtomicInteger()))
                .build())
        .build();
  }

  private static long succeededExchangesFor(Federation federation) {
    return server.exchangeEvents().stream()
        .map(e -> e.get(e.get("type").asText()))
        .filter(p -> p.get("outcome").asText().equals("succeeded"))
        .filter(p -> federation.providerId().equals(p.get("identity_provider_id").asText()))
        .count();
  }

  @Test
  void sdkWhenFiveApiCallsThenOneExchangeAndStrictlyValidResponses() {
    Federation federation = Federation.uploaded(server, issuer, Federation.allScopes());
    AtomicInteger exchangesSent = new AtomicInteger();
    OpenAIClient client = sdk(federation, exchangesSent);

    List<Model> models = client.models().list().data();
    Model demo = client.models().retrieve("openwif-demo-1");
    Response first =
        client
            .responses()
            .create(
                ResponseCreateParams.builder().model("gpt-4.1-mini").input("Say hello").build());
    Response second =
        client
            .responses()
            .create(ResponseCreateParams.builder().model("openwif-demo-1").input("again").build());
    List<Model> again = client.models().list().data();

    assertThat(models).extracting(Model::id).containsExactly("openwif-demo-1");
    assertThat(demo.ownedBy()).isEqualTo("openwif");
    assertThat(again).hasSize(1);
    assertThat(first.model().asChat().asString()).isEqualTo("gpt-4.1-mini");
    assertThat(second.model().asString()).isEqualTo("openwif-demo-1");
    assertThat(first.output().getFirst().asMessage().content().getFirst().asOutputText().text())
        .isEqualTo("Hello from OpenWIF (demo model): you said \"Say hello\"");
    assertThat(second.output().getFirst().asMessage().content().getFirst().asOutputText().text())
        .isEqualTo("Hello from OpenWIF (demo model): you said \"again\"");
    assertThat(first.usage()).hasValueSatisfying(u -> assertThat(u.totalTokens()).isEqualTo(2 + 9));
    assertThat(exchangesSent.get()).isEqualTo(1);
    assertThat(succeededExchangesFor(federation)).isEqualTo(1);
    client.close();
  }

  @Test
  void sdkWhenRuleDisabledAfterwardsThenApiCallFailsWithOAuthErrorAfterReExchange() {
    Federation federation = Federation.uploaded(server, issuer, Federation.allScopes());
    AtomicInteger exchangesSent = new AtomicInteger();
    OpenAIClient client = sdk(federation, exchangesSent);
    assertThat(client.models().list().data()).hasSize(1);

    server.updateRule(federation.providerId(), federation.ruleId(), Map.of("enabled", false));

    assertThatThrownBy(() -> client.models().list())
        .isInstanceOfSatisfying(
            OpenAIServiceException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(401);
              assertThat(e.code()).contains("invalid_grant");
            });
    assertThat(exchangesSent.get()).isEqualTo(2);
    JsonNode failed = server.lastExchangeEvent();
    assertThat(failed.get("reason_code").asText()).isEqualTo("no_matching_rule");
    client.close();
  }

  @Test
  void sdkWhenScopeMissingThen403PermissionDeniedWithoutReExchange() {
    Federation federation =
        Federation.uploaded(server, issuer, Federation.scopes("api.model.read"));
    AtomicInteger exchangesSent = new AtomicInteger();
    OpenAIClient client = sdk(federation, exchangesSent);
    assertThat(client.models().list().data()).hasSize(1);

    assertThatThrownBy(
            () ->
                client
                    .responses()
                    .create(ResponseCreateParams.builder().model("m").input("x").build()))
        .isInstanceOfSatisfying(
            PermissionDeniedException.class,
            e -> assertThat(e.code()).contains("insufficient_scope"));
    assertThat(exchangesSent.get()).isEqualTo(1);
    client.close();
  }
}
