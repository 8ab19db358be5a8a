package dev.openwif.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.auth.K8sServiceAccountTokenProvider;
import com.openai.auth.WorkloadIdentity;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.responses.ResponseCreateParams;
import dev.openwif.client.SubjectTokenProvider;
import dev.openwif.client.SubjectTokenType;
import dev.openwif.client.TokenExchangeRejectedException;
import dev.openwif.client.WorkloadIdentityCredentials;
import dev.openwif.client.http.AuthenticatedHttpClient;
import dev.openwif.client.provider.TokenFileProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The GKE token file rotates (lifetime 4 s, rewritten at 80 %) while a client keeps calling the
 * API: the server accepts each new token, and the first one is refused once it has expired.
 *
 * <p>Timing: the server mints 2 s access tokens so that clients re-exchange (and re-read the file)
 * every couple of seconds. The emulators' clock runs 58 s behind, so the server's fixed 60 s
 * clock-skew leeway on {@code exp} ends 2 s after a token's real lifetime, and the old token's
 * expiry is observable in a few seconds instead of a minute. Every loop is bounded; each test takes
 * under 15 s.
 */
class TokenFileRotationIT {
  private static final Duration LIFETIME = Duration.ofSeconds(4);
  private static final Duration SKEW = Duration.ofSeconds(58);
  private static final Duration LEEWAY = Duration.ofSeconds(60);
  private static final Duration LOOP_LIMIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static DemoStack startStack() {
    return DemoStack.start(
        new SecureRandom(),
        new DemoStack.Options(
            Duration.ofSeconds(2), LIFETIME, Clock.offset(Clock.systemUTC(), SKEW.negated())));
  }

  private static GuideSetup.Configured configure(DemoStack stack) throws Exception {
    ObjectNode sample =
        OpenAiSdkScenariosIT.payload(stack.metadata().identityToken(DemoStack.AUDIENCE, true));
    return new GuideSetup(
            admin(stack), new DemoConsole(new PrintWriter(new StringWriter()), JSON), JSON)
        .configure(
            stack.metadata().issuer(),
            Map.of("sub", sample.get("sub").asText(), "email", sample.get("email").asText()),
            stack.cluster().issuer());
  }

  private static AdminClient admin(DemoStack stack) {
    return new AdminClient(
        stack.server().baseUrl(), stack.adminKey(), HttpClient.newHttpClient(), JSON);
  }

  private static WorkloadIdentityCredentials credentials(
      DemoStack stack, GuideSetup.Target gke, SubjectTokenProvider provider) {
    return WorkloadIdentityCredentials.builder()
        .identityProviderId(gke.providerId())
        .serviceAccountId(gke.serviceAccountId())
        .provider(provider)
        .tokenUrl(stack.server().baseUrl() + "/oauth/token")
        .refreshBuffer(Duration.ofMillis(500))
        .build();
  }

  private static boolean before(long deadlineNanos) {
    return System.nanoTime() - deadlineNanos < 0;
  }

  private DemoStack stack;
  private GuideSetup.Target gke;

  /** Outside the tests' timeouts: starting servers on a busy machine is not what is timed. */
  @BeforeEach
  void start() throws Exception {
    stack = startStack();
    gke = configure(stack).gke();
  }

  @AfterEach
  void stop() {
    stack.close();
  }

  @Test
  @Timeout(20)
  void tokenFileProviderWhenFileRotatesThenCallsKeepSucceedingAndTheOldTokenExpires()
      throws Exception {
    TokenFileProvider file = TokenFileProvider.of(stack.cluster().tokenFile());
    Set<String> exchanged = java.util.Collections.synchronizedSet(new LinkedHashSet<>());
    SubjectTokenProvider recording =
        SubjectTokenProvider.of(
            SubjectTokenType.JWT,
            "recorded token file",
            () -> {
              String token = file.getToken();
              exchanged.add(token);
              return token;
            });
    AuthenticatedHttpClient api =
        new AuthenticatedHttpClient(HttpClient.newHttpClient(), credentials(stack, gke, recording));
    HttpRequest call =
        HttpRequest.newBuilder(URI.create(stack.server().baseUrl() + "/v1/responses"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"gpt-4.1-mini\",\"input\":\"rotation\"}"))
            .build();

    int calls = 0;
    long deadline = System.nanoTime() + LOOP_LIMIT.toNanos();
    while (exchanged.size() < 2 && before(deadline)) {
      HttpResponse<String> response = api.send(call, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("call %d: %s", calls, response.body()).isEqualTo(200);
      calls++;
      Thread.sleep(200);
    }
    assertThat(exchanged)
        .as("subject tokens used by successful exchanges")
        .hasSizeGreaterThanOrEqualTo(2);
    assertThat(calls).isGreaterThanOrEqualTo(2);
    String first = exchanged.iterator().next();

    Instant firstRefusedAt =
        Instant.ofEpochSecond(OpenAiSdkScenariosIT.payload(first).get("exp").asLong())
            .plus(LEEWAY)
            .plusMillis(300);
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), firstRefusedAt).toMillis()));
    WorkloadIdentityCredentials old =
        credentials(
            stack,
            gke,
            SubjectTokenProvider.of(SubjectTokenType.JWT, "the first token", () -> first));
    assertThatThrownBy(old::token)
        .isInstanceOfSatisfying(
            TokenExchangeRejectedException.class, e -> assertThat(e.statusCode()).isEqualTo(401));
    JsonNode refused =
        admin(stack).get("/audit_logs?type=token_exchange.failed&limit=1").path("data").path(0);
    assertThat(refused.path("token_exchange.failed").path("reason_code").asText())
        .isEqualTo("expired");

    assertThat(credentials(stack, gke, file).accessToken())
        .as("the file's current token")
        .isNotBlank();
    assertThat(Files.readString(stack.cluster().tokenFile()).strip()).isNotEqualTo(first);
  }

  @Test
  @Timeout(20)
  void sdkK8sProviderWhenFileRotatesThenCallsKeepSucceedingWithEachNewToken() throws Exception {
    SdkOrigins origins = new SdkOrigins(stack.metadata().baseUrl(), stack.server().baseUrl());
    Set<String> fileTokens = new HashSet<>();
    int calls = 0;
    try (K8sServiceAccountTokenProvider provider =
        K8sServiceAccountTokenProvider.builder().tokenPath(stack.cluster().tokenFile()).build()) {
      OpenAIClient client =
          OpenAIOkHttpClient.builder()
              .baseUrl(stack.server().baseUrl() + "/v1")
              .addInterceptor(origins)
              .timeout(Duration.ofSeconds(10))
              .workloadIdentity(
                  WorkloadIdentity.builder()
                      .identityProviderId(gke.providerId())
                      .serviceAccountId(gke.serviceAccountId())
                      .provider(provider)
                      .build())
              .build();
      long deadline = System.nanoTime() + LOOP_LIMIT.toNanos();
      while (succeededSubjectHashes(stack, gke).size() < 2 && before(deadline)) {
        fileTokens.add(Files.readString(stack.cluster().tokenFile()).strip());
        var response =
            client
                .responses()
                .create(
                    ResponseCreateParams.builder()
                        .model(ScenarioRunner.MODEL)
                        .input("rotation")
                        .build());
        assertThat(OpenAiSdkScenariosIT.outputText(response)).endsWith("\"rotation\"");
        calls++;
        Thread.sleep(200);
      }
      // the exchange that ended the loop may have read a token the file got after the last read
      fileTokens.add(Files.readString(stack.cluster().tokenFile()).strip());
      client.close();
    }
    assertThat(succeededSubjectHashes(stack, gke)).hasSizeGreaterThanOrEqualTo(2);
    assertThat(fileTokens).hasSizeGreaterThanOrEqualTo(2);
    assertThat(origins.exchanges.get()).isGreaterThanOrEqualTo(2);
    assertThat(calls).isGreaterThanOrEqualTo(2);
  }

  /** The distinct subject-token hash prefixes of successful exchanges with the GKE provider. */
  private static Set<String> succeededSubjectHashes(DemoStack stack, GuideSetup.Target gke) {
    JsonNode events =
        admin(stack).get("/audit_logs?type=token_exchange.succeeded&limit=100").path("data");
    Set<String> hashes = new HashSet<>();
    StreamSupport.stream(events.spliterator(), false)
        .map(e -> e.path("token_exchange.succeeded"))
        .filter(p -> gke.providerId().equals(p.path("identity_provider_id").asText()))
        .forEach(p -> hashes.add(p.path("subject_token_hash_prefix").asText()));
    return hashes;
  }
}
