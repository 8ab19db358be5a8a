package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.type.TypeReference;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.TestIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway against an upstream nobody here wrote: the official {@code openai-java} SDK, with
 * workload identity, calls a real server whose {@code --upstream} is {@link MockLlm} (the npm
 * package {@code @dwmkerr/mock-llm} as a child process). mock-llm echoes the last chat message and,
 * by the rules in {@code src/test/mock-llm/mock-llm.yaml}, the Responses input; it streams chat
 * completions in 6-character chunks 200 ms apart; and it answers only calls that carry the upstream
 * key, adding the headers it received to each non-streaming answer.
 */
class MockLlmIT {
  @TempDir static Path dir;
  static MockLlm mockLlm;
  static TestIssuer issuer;
  static LiveServer server;
  static WorkloadSdk sdk;

  @BeforeAll
  static void start() {
    mockLlm = MockLlm.start();
    issuer = TestIssuer.start();
    server =
        LiveServer.start(
            LiveServer.config(dir)
                .withUpstream(
                    GatewayUpstream.proxyingTo(UpstreamTarget.parse(mockLlm.url()))
                        .withApiKey(MockLlm.UPSTREAM_KEY)));
    sdk = new WorkloadSdk(server, Federation.uploaded(server, issuer, Federation.allScopes()));
  }

  @AfterAll
  static void stop() {
    if (sdk != null) {
      sdk.close();
    }
    if (server != null) {
      server.close();
    }
    if (issuer != null) {
      issuer.close();
    }
    if (mockLlm != null) {
      mockLlm.close();
    }
  }

  @Test
  void chatCompletionWhenNotStreamingThenMockLlmEchoesTheMessageAndSawOnlyTheUpstreamKey() {
    ChatCompletion completion =
        sdk.client()
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("gpt-4.1-mini")
                    .addUserMessage("Hello through OpenWIF")
                    .build());

    assertThat(completion.choices().getFirst().message().content())
        .contains("Hello through OpenWIF");
    assertThat(completion.model()).isEqualTo("gpt-4.1-mini");
    assertUpstreamSawTheKeyAndNoAccessToken(completion._allProperties());
    assertThat(mockLlm.requestLog()).contains("POST /v1/chat/completions");
  }

  @Test
  void chatCompletionWhenStreamingThenChunksArriveAsMockLlmSendsThemAndJoinToTheEcho() {
    // 40 characters: 7 chunks of up to 6, which mock-llm sends 200 ms apart (1.2 s first to last)
    String input = "Streamed through OpenWIF, chunk by chunk";
    List<String> deltas = new ArrayList<>();
    List<Long> arrivals = new ArrayList<>();
    long start = System.nanoTime();
    try (StreamResponse<ChatCompletionChunk> stream =
        sdk.client()
            .chat()
            .completions()
            .createStreaming(
                ChatCompletionCreateParams.builder()
                    .model("gpt-4.1-mini")
                    .addUserMessage(input)
                    .build())) {
      stream.stream()
          .forEach(
              chunk -> {
                arrivals.add((System.nanoTime() - start) / 1_000_000);
                chunk.choices().getFirst().delta().content().ifPresent(deltas::add);
              });
    }

    assertThat(String.join("", deltas)).isEqualTo(input);
    assertThat(deltas)
        .containsExactly("Stream", "ed thr", "ough O", "penWIF", ", chun", "k by c", "hunk");
    // had the proxy buffered the answer, all seven would arrive together; the bound leaves room for
    // a loaded machine (1.2 s expected)
    assertThat(arrivals.getLast() - arrivals.getFirst())
        .as("ms between the first and the last chunk, arrivals %s", arrivals)
        .isGreaterThanOrEqualTo(500);
  }

  @Test
  void responsesCreateWhenNotStreamingThenTheTextIsWhatMockLlmAnswers() {
    Response response =
        sdk.client()
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model("gpt-4.1-mini")
                    .input("Say hello to mock-llm")
                    .build());

    assertThat(response.output().getFirst().asMessage().content().getFirst().asOutputText().text())
        .isEqualTo("Say hello to mock-llm");
    assertThat(response.id()).isEqualTo("resp_mock");
    assertUpstreamSawTheKeyAndNoAccessToken(response._allProperties());
    assertThat(mockLlm.requestLog()).contains("POST /v1/responses");
  }

  @Test
  void embeddingsCreateWhenCalledThenTheVectorMockLlmAnswers() {
    CreateEmbeddingResponse embeddings =
        sdk.client()
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("text-embedding-3-small")
                    .input("embed me")
                    .build());

    assertThat(embeddings.data()).hasSize(1);
    assertThat(embeddings.data().getFirst().embedding()).containsExactly(0.25f, -0.5f, 1.0f);
    assertThat(embeddings.model()).isEqualTo("text-embedding-3-small");
    assertUpstreamSawTheKeyAndNoAccessToken(embeddings._allProperties());
    assertThat(mockLlm.requestLog()).contains("POST /v1/embeddings");
  }

  /**
   * An upstream that refuses OpenWIF's key answers 401. Passed through, the SDK took it for an
   * expired access token: it exchanged again on each of its retries (3 exchanges with the default 2
   * retries) and reported "OAuth token is expired". The proxy answers 502 {@code
   * upstream_unauthorized} with {@code x-should-retry: false} instead: one exchange, one upstream
   * call, and an error that names the upstream key.
   */
  @Test
  void upstreamWhenItRefusesOpenWifsKeyThenTheSdkCallFailsOnceWithoutReExchanging(
      @TempDir Path wrongDir) {
    int before = mockLlm.requestLog().size();
    try (LiveServer wrongKey =
            LiveServer.start(
                LiveServer.config(wrongDir)
                    .withUpstream(
                        GatewayUpstream.proxyingTo(UpstreamTarget.parse(mockLlm.url()))
                            .withApiKey("sk-not-the-upstream-key")));
        WorkloadSdk client =
            new WorkloadSdk(
                wrongKey, Federation.uploaded(wrongKey, issuer, Federation.allScopes()), 2)) {

      Throwable thrown =
          catchThrowable(
              () ->
                  client
                      .client()
                      .chat()
                      .completions()
                      .create(
                          ChatCompletionCreateParams.builder()
                              .model("gpt-4.1-mini")
                              .addUserMessage("hello")
                              .build()));

      assertThat(thrown).isInstanceOf(OpenAIException.class).hasMessageContaining("upstream");
      assertThat(wrongKey.exchangeEvents()).hasSize(1);
      assertThat(client.accessTokensSent()).hasSize(1);
      assertThat(mockLlm.requestLog().subList(before, mockLlm.requestLog().size()))
          .containsExactly("POST /v1/chat/completions");
    }
  }

  /** The key check in mock-llm's rules is real: an access token sent to it directly is a 401. */
  @Test
  void mockLlmWhenCalledDirectlyWithAnAccessTokenThenRefusesIt() throws Exception {
    Federation federation = Federation.uploaded(server, issuer, Federation.allScopes());
    LiveServer.Reply exchanged =
        server.exchangeJson(federation.exchangeParams(federation.subjectToken(Clock.systemUTC())));
    String accessToken = exchanged.body().get("access_token").asText();
    HttpRequest direct =
        HttpRequest.newBuilder(URI.create(mockLlm.url() + "/chat/completions"))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + accessToken)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
            .build();

    HttpResponse<String> reply =
        HttpClient.newHttpClient().send(direct, HttpResponse.BodyHandlers.ofString());

    assertThat(reply.statusCode()).isEqualTo(401);
    assertThat(reply.body()).contains("invalid_api_key");
  }

  private static void assertUpstreamSawTheKeyAndNoAccessToken(Map<String, JsonValue> answer) {
    JsonValue headers = answer.get("upstream_headers");
    assertThat(headers).as("mock-llm's echo of the headers it received").isNotNull();
    Map<String, Object> received = headers.convert(new TypeReference<Map<String, Object>>() {});
    assertThat(received.get("authorization")).isEqualTo("Bearer " + MockLlm.UPSTREAM_KEY);
    assertThat(sdk.accessTokensSent()).isNotEmpty();
    for (String accessToken : sdk.accessTokensSent()) {
      assertThat(received.toString()).doesNotContain(accessToken);
    }
  }
}
