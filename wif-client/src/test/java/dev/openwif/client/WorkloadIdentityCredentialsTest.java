package dev.openwif.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.client.ScriptedHttpServer.Reply;
import dev.openwif.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WorkloadIdentityCredentialsTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private final ObjectMapper json = new ObjectMapper();
  private final ScriptedHttpServer endpoint = ScriptedHttpServer.start();
  private final MutableClock clock = MutableClock.at(START);
  private final ManualExecutor executor = new ManualExecutor();
  private final AtomicInteger subjectTokensIssued = new AtomicInteger();

  @AfterEach
  void stop() {
    endpoint.close();
  }

  private WorkloadIdentityCredentials.Builder credentials() {
    return WorkloadIdentityCredentials.builder()
        .identityProviderId("wip_123")
        .serviceAccountId("sa_456")
        .provider(
            SubjectTokenProvider.jwt(() -> "subject-" + subjectTokensIssued.incrementAndGet()))
        .tokenUrl(endpoint.uri("/oauth/token"))
        .clock(clock)
        .executor(executor)
        .retries(3, Duration.ofMillis(1), Duration.ofMillis(5));
  }

  @Test
  void tokenWhenFirstCallThenExchangesOnceWithRfc8693JsonBody() throws Exception {
    endpoint.then(Reply.tokenExchange("at-1", 3600));

    AccessToken token = credentials().build().token();

    assertThat(token.value()).isEqualTo("at-1");
    assertThat(token.obtainedAt()).isEqualTo(START);
    assertThat(token.expiresAt()).isEqualTo(START.plusSeconds(3600));
    assertThat(endpoint.requestCount()).isEqualTo(1);
    ScriptedHttpServer.Recorded request = endpoint.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.uri().getPath()).isEqualTo("/oauth/token");
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    JsonNode body = json.readTree(request.body());
    assertThat(body.get("grant_type").asText())
        .isEqualTo("urn:ietf:params:oauth:grant-type:token-exchange");
    assertThat(body.get("subject_token").asText()).isEqualTo("subject-1");
    assertThat(body.get("subject_token_type").asText())
        .isEqualTo("urn:ietf:params:oauth:token-type:jwt");
    assertThat(body.get("identity_provider_id").asText()).isEqualTo("wip_123");
    assertThat(body.get("service_account_id").asText()).isEqualTo("sa_456");
    assertThat(body.has("client_id")).isFalse();
  }

  @Test
  void tokenWhenClientIdAndIdTokenProviderThenBothAreSent() throws Exception {
    endpoint.then(Reply.tokenExchange("at-1", 3600));

    credentials()
        .clientId("client-7")
        .provider(SubjectTokenProvider.of(SubjectTokenType.ID_TOKEN, "id token", () -> "id-token"))
        .build()
        .token();

    JsonNode body = json.readTree(endpoint.requests().get(0).body());
    assertThat(body.get("client_id").asText()).isEqualTo("client-7");
    assertThat(body.get("subject_token_type").asText())
        .isEqualTo("urn:ietf:params:oauth:token-type:id_token");
  }

  @Test
  void tokenWhenCalledAgainBeforeRefreshTimeThenReusesCachedToken() {
    endpoint.then(Reply.tokenExchange("at-1", 3600)).then(Reply.tokenExchange("at-2", 3600));
    WorkloadIdentityCredentials credentials = credentials().build();

    credentials.token();
    clock.advance(Duration.ofSeconds(2399));
    String again = credentials.accessToken();

    assertThat(again).isEqualTo("at-1");
    assertThat(endpoint.requestCount()).isEqualTo(1);
  }

  @Test
  void tokenWhenInsideRefreshBufferThenReturnsCachedTokenWhileBackgroundRefreshRuns() {
    endpoint.then(Reply.tokenExchange("at-1", 3600)).then(Reply.tokenExchange("at-2", 3600));
    WorkloadIdentityCredentials credentials = credentials().build();
    credentials.token();
    executor.queueing();

    clock.advance(Duration.ofSeconds(2400)); // 1200 s left: the default buffer
    String duringRefresh = credentials.accessToken();
    String stillDuringRefresh = credentials.accessToken();

    assertThat(duringRefresh).isEqualTo("at-1");
    assertThat(stillDuringRefresh).isEqualTo("at-1");
    assertThat(executor.pending()).isEqualTo(1);
    executor.runPending();
    assertThat(credentials.accessToken()).isEqualTo("at-2");
    assertThat(endpoint.requestCount()).isEqualTo(2);
    assertThat(credentials.token().expiresAt()).isEqualTo(START.plusSeconds(2400 + 3600));
  }

  @Test
  void tokenWhenBufferLongerThanHalfLifetimeThenRefreshStartsAtHalfLife() {
    endpoint.then(Reply.tokenExchange("at-1", 1000)).then(Reply.tokenExchange("at-2", 1000));
    WorkloadIdentityCredentials credentials = credentials().build();
    credentials.token();
    executor.queueing();

    clock.advance(Duration.ofMillis(499_999));
    credentials.token();
    assertThat(executor.pending()).isZero();

    clock.advance(Duration.ofMillis(1));
    assertThat(credentials.accessToken()).isEqualTo("at-1");
    assertThat(executor.pending()).isEqualTo(1);
  }

  @Test
  void tokenWhenCustomBufferThenRefreshStartsThatLongBeforeExpiry() {
    endpoint.then(Reply.tokenExchange("at-1", 3600)).then(Reply.tokenExchange("at-2", 3600));
    WorkloadIdentityCredentials credentials =
        credentials().refreshBuffer(Duration.ofSeconds(60)).build();
    credentials.token();
    executor.queueing();

    clock.advance(Duration.ofSeconds(3539));
    credentials.token();
    assertThat(executor.pending()).isZero();
    clock.advance(Duration.ofSeconds(1));
    credentials.token();
    assertThat(executor.pending()).isEqualTo(1);
  }

  @Test
  void tokenWhenRefreshFailsThenCachedTokenServesUntilExpiryAndThenTheErrorSurfaces() {
    endpoint
        .then(Reply.tokenExchange("at-1", 3600))
        .otherwise(
            Reply.json(
                400, "{\"error\":\"invalid_grant\",\"error_description\":\"rule disabled\"}"));
    WorkloadIdentityCredentials credentials = credentials().build();
    credentials.token();

    clock.advance(Duration.ofSeconds(3000));
    String inBuffer = credentials.accessToken(); // background refresh runs and fails
    clock.advance(Duration.ofSeconds(599));
    String lastSecond = credentials.accessToken();

    assertThat(inBuffer).isEqualTo("at-1");
    assertThat(lastSecond).isEqualTo("at-1");
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(credentials::token)
        .isInstanceOfSatisfying(
            TokenExchangeRejectedException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.error()).contains("invalid_grant");
              assertThat(e.errorDescription()).contains("rule disabled");
            });
  }

  @Test
  void tokenWhenBackgroundRefreshFailedThenNoOtherStartsForTenSeconds() {
    endpoint
        .then(Reply.tokenExchange("at-1", 3600))
        .then(Reply.json(400, "{\"error\":\"invalid_grant\"}"))
        .then(Reply.tokenExchange("at-2", 3600));
    WorkloadIdentityCredentials credentials = credentials().build();
    credentials.token();

    clock.advance(Duration.ofSeconds(3000));
    String failedRefresh = credentials.accessToken(); // background refresh runs and fails
    clock.advance(Duration.ofMillis(9_999));
    String paused = credentials.accessToken();
    int requestsWhilePaused = endpoint.requestCount();
    clock.advance(Duration.ofMillis(1));
    String retried = credentials.accessToken(); // starts the next background refresh

    assertThat(failedRefresh).isEqualTo("at-1");
    assertThat(paused).isEqualTo("at-1");
    assertThat(requestsWhilePaused).isEqualTo(2);
    assertThat(retried).isEqualTo("at-1");
    assertThat(endpoint.requestCount()).isEqualTo(3);
    assertThat(credentials.accessToken()).isEqualTo("at-2");
  }

  @Test
  void tokenWhenExpiredRightAfterFailedBackgroundRefreshThenCallerWaitsForFreshExchange() {
    endpoint
        .then(Reply.tokenExchange("at-1", 3600))
        .then(Reply.json(400, "{\"error\":\"invalid_grant\"}"))
        .then(Reply.tokenExchange("at-2", 3600));
    WorkloadIdentityCredentials credentials = credentials().build();
    credentials.token();
    clock.advance(Duration.ofSeconds(3599));
    credentials.accessToken(); // background refresh runs and fails

    clock.advance(Duration.ofSeconds(1)); // expired, inside the 10 s pause

    assertThat(credentials.accessToken()).isEqualTo("at-2");
    assertThat(endpoint.requestCount()).isEqualTo(3);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void tokenWhenProviderThrowsErrorThenCallFailsAndNextCallExchangesAgain() {
    endpoint.otherwise(Reply.tokenExchange("at-1", 3600));
    AtomicBoolean broken = new AtomicBoolean(true);
    WorkloadIdentityCredentials credentials =
        credentials()
            .provider(
                SubjectTokenProvider.jwt(
                    () -> {
                      if (broken.get()) {
                        throw new AssertionError("provider bug");
                      }
                      return "subject";
                    }))
            .executor(task -> Thread.ofVirtual().start(task))
            .build();

    assertThatThrownBy(credentials::token)
        .isInstanceOf(TokenEndpointException.class)
        .hasCauseInstanceOf(AssertionError.class);
    broken.set(false);

    assertThat(credentials.accessToken()).isEqualTo("at-1");
    assertThat(endpoint.requestCount()).isEqualTo(1);
  }

  @Test
  void tokenWhenExpiredThenCallerWaitsForTheNewToken() {
    endpoint.then(Reply.tokenExchange("at-1", 3600)).then(Reply.tokenExchange("at-2", 3600));
    WorkloadIdentityCredentials credentials = credentials().build();
    credentials.token();

    clock.advance(Duration.ofSeconds(3600));

    assertThat(credentials.accessToken()).isEqualTo("at-2");
    assertThat(subjectTokensIssued.get()).isEqualTo(2);
  }

  @Test
  void invalidateWhenCalledThenNextCallExchangesAgain() {
    endpoint.then(Reply.tokenExchange("at-1", 3600)).then(Reply.tokenExchange("at-2", 3600));
    WorkloadIdentityCredentials credentials = credentials().build();
    credentials.token();

    credentials.invalidate();

    assertThat(credentials.accessToken()).isEqualTo("at-2");
    assertThat(endpoint.requestCount()).isEqualTo(2);
  }

  @Test
  void invalidateWhenGivenAnOlderTokenThenTheNewerCachedTokenIsKept() {
    endpoint
        .then(Reply.tokenExchange("at-1", 3600))
        .then(Reply.tokenExchange("at-2", 3600))
        .then(Reply.tokenExchange("at-3", 3600));
    WorkloadIdentityCredentials credentials = credentials().build();
    String stale = credentials.accessToken();
    credentials.invalidate(stale);
    String fresh = credentials.accessToken();

    credentials.invalidate(stale); // a second request that failed with the stale token

    assertThat(fresh).isEqualTo("at-2");
    assertThat(credentials.accessToken()).isEqualTo("at-2");
    assertThat(endpoint.requestCount()).isEqualTo(2);
  }

  @Test
  void invalidateWhenEveryFreshTokenIsRejectedThenAtMostOneExchangePerSecond() {
    endpoint.otherwise(Reply.tokenExchange("at-rejected", 3600));
    WorkloadIdentityCredentials credentials = credentials().build();
    for (int i = 0; i < 50; i++) { // an API that answers 401 to every request, 10 ms apart
      credentials.invalidate(credentials.accessToken());
      clock.advance(Duration.ofMillis(10));
    }
    // 500 ms of 401s: the first drop re-exchanges, the rest within the second do not
    assertThat(endpoint.requestCount()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(1));
    credentials.invalidate(credentials.accessToken());
    credentials.accessToken();
    assertThat(endpoint.requestCount()).isEqualTo(3);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void tokenWhenThousandConcurrentCallersThenExactlyOneExchange() throws Exception {
    endpoint.otherwise(Reply.tokenExchange("at-shared", 3600));
    endpoint.hold();
    WorkloadIdentityCredentials credentials =
        credentials().executor(task -> Thread.ofVirtual().start(task)).build();
    int callers = 1000;
    CountDownLatch started = new CountDownLatch(callers);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    List<Future<?>> futures = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < callers; i++) {
        futures.add(
            pool.submit(
                () -> {
                  started.countDown();
                  seen.add(credentials.accessToken());
                }));
      }
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (endpoint.requestCount() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(200); // let every caller reach the shared exchange
      endpoint.release();
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    }

    assertThat(seen).containsExactly("at-shared");
    assertThat(endpoint.requestCount()).isEqualTo(1);
    assertThat(subjectTokensIssued.get()).isEqualTo(1);
  }

  @Test
  void builderWhenRequiredSettingMissingThenNamesIt() {
    assertThatThrownBy(() -> WorkloadIdentityCredentials.builder().serviceAccountId("sa").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("identityProviderId is required");
    assertThatThrownBy(() -> WorkloadIdentityCredentials.builder().identityProviderId("p").build())
        .hasMessage("serviceAccountId is required");
    assertThatThrownBy(
            () ->
                WorkloadIdentityCredentials.builder()
                    .identityProviderId("p")
                    .serviceAccountId("s")
                    .build())
        .hasMessage("provider is required");
    assertThatThrownBy(() -> WorkloadIdentityCredentials.builder().tokenUrl("ftp://x/oauth/token"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http(s)");
  }

  @Test
  void builderWhenNoTokenUrlThenDefaultsToOpenAi() {
    assertThat(WorkloadIdentityCredentials.OPENAI_TOKEN_URL.toString())
        .isEqualTo("https://auth.openai.com/oauth/token");
    assertThat(WorkloadIdentityCredentials.DEFAULT_REFRESH_BUFFER)
        .isEqualTo(Duration.ofSeconds(1200));
  }

  @Test
  void accessTokenToStringWhenPrintedThenHidesTheToken() {
    AccessToken token = new AccessToken("abcdefSECRETPART", "t", START, START.plusSeconds(1));
    assertThat(token.toString()).doesNotContain("SECRETPART").contains("abcdef");
  }

  private static WorkloadIdentityCredentials.Builder minimal(String tokenUrl) {
    return WorkloadIdentityCredentials.builder()
        .identityProviderId("p")
        .serviceAccountId("s")
        .provider(SubjectTokenProvider.jwt(() -> "subject"))
        .tokenUrl(tokenUrl);
  }

  @Test
  void buildWhenHttpTokenUrlOutsideLoopbackThenRefusedUnlessAllowed() {
    assertThatThrownBy(() -> minimal("http://wif.internal.example/oauth/token").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("clear text")
        .hasMessageContaining("allowInsecureTokenUrl");
    assertThatThrownBy(() -> minimal("http://10.0.0.5:8080/oauth/token").build())
        .isInstanceOf(IllegalStateException.class);
    minimal("http://wif.internal.example/oauth/token").allowInsecureTokenUrl(true).build();
    minimal("https://wif.internal.example/oauth/token").build();
    minimal("http://127.0.0.1:8080/oauth/token").build();
    minimal("http://localhost:8080/oauth/token").build();
    minimal("http://[::1]:8080/oauth/token").build();
  }
}
