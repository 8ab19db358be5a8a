package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.TestIssuer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 9 items 4 and 5 end to end: a real server proxying to an upstream that reports known usage,
 * service accounts rate limited through the admin API (the 4th call of 3 a minute is a 429 with
 * OpenAI's headers, also as the openai-java SDK sees it), and {@code GET
 * /v1/organization/usage/completions} adding up exactly what was sent, per project and model, for
 * JSON answers and streams; one access log line per call, without the token.
 */
class GatewayUsageIT {
  @TempDir static Path dir;
  static UsageUpstream upstream;
  static LiveServer server;
  static TestIssuer issuer;

  @BeforeAll
  static void start() {
    upstream = new UsageUpstream();
    issuer = TestIssuer.start();
    server =
        LiveServer.start(
            LiveServer.config(dir)
                .withUpstream(GatewayUpstream.proxyingTo(UpstreamTarget.parse(upstream.url()))));
  }

  @AfterAll
  static void stop() {
    server.close();
    issuer.close();
    upstream.close();
  }

  private static Federation federation() {
    return Federation.uploaded(server, issuer, Federation.allScopes());
  }

  private static String tokenFor(Federation federation) {
    LiveServer.Reply reply =
        server.exchangeJson(federation.exchangeParams(federation.subjectToken(Clock.systemUTC())));
    assertThat(reply.status()).isEqualTo(200);
    return reply.body().get("access_token").asText();
  }

  private static LiveServer.Reply post(String path, String body, String token) {
    return server.post(path, "application/json", body, Optional.of(token));
  }

  private static String accountPath(Federation f) {
    return "/projects/" + f.projectId() + "/service_accounts/" + f.accountId();
  }

  @Test
  void callWhenServiceAccountLimitedToThreeAMinuteThenFourthIs429WithOpenAiHeaders() {
    Federation f = federation();
    JsonNode account =
        server.adminOk(
            "POST", accountPath(f), Map.of("rate_limits", Map.of("max_requests_per_1_minute", 3)));
    assertThat(account.at("/rate_limits/max_requests_per_1_minute").asLong()).isEqualTo(3);
    assertThat(account.at("/rate_limits/max_tokens_per_1_minute").isNull()).isTrue();
    assertThat(account.get("name").asText()).isEqualTo("workload");
    String token = tokenFor(f);
    int before = upstream.calls.get();

    for (int remaining = 2; remaining >= 0; remaining--) {
      LiveServer.Reply ok = post("/v1/chat/completions", UsageUpstream.CHAT, token);
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.header("x-ratelimit-limit-requests")).contains("3");
      assertThat(ok.header("x-ratelimit-remaining-requests")).contains(Integer.toString(remaining));
      assertThat(ok.header("x-ratelimit-reset-requests")).isPresent();
    }
    LiveServer.Reply refused = post("/v1/chat/completions", UsageUpstream.CHAT, token);

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("retry-after").map(Long::parseLong))
        .hasValueSatisfying(s -> assertThat(s).isBetween(1L, 20L));
    assertThat(refused.header("retry-after-ms")).isPresent();
    assertThat(refused.header("x-ratelimit-limit-requests")).contains("3");
    assertThat(refused.header("x-ratelimit-remaining-requests")).contains("0");
    assertThat(refused.header("x-ratelimit-reset-requests")).isPresent();
    assertThat(refused.body().at("/error/type").asText()).isEqualTo("requests");
    assertThat(refused.body().at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(upstream.calls.get() - before).isEqualTo(3);

    OpenAIClient sdk =
        OpenAIOkHttpClient.builder()
            .baseUrl(server.url() + "/v1")
            .apiKey(token)
            .maxRetries(0)
            .build();
    try {
      assertThatThrownBy(
              () ->
                  sdk.chat()
                      .completions()
                      .create(
                          ChatCompletionCreateParams.builder()
                              .model("gpt-4o-mini")
                              .addUserMessage("hi")
                              .build()))
          .isInstanceOf(RateLimitException.class);
    } finally {
      sdk.close();
    }
  }

  @Test
  void callWhenTokensPerMinuteSpentByReportedUsageThenRefusedWithTokenHeaders() {
    Federation f = federation();
    server.adminOk(
        "POST", accountPath(f), Map.of("rate_limits", Map.of("max_tokens_per_1_minute", 20)));
    String token = tokenFor(f);

    // each chat completion reports 3 + 4 tokens, debited after the call: 20, 13, 6 left before
    ListAppender<ILoggingEvent> access = new ListAppender<>();
    Logger accessLogger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
    access.start();
    accessLogger.addAppender(access);
    try {
      int calls = 0;
      for (String left : List.of("20", "13", "6")) {
        LiveServer.Reply ok = post("/v1/chat/completions", UsageUpstream.CHAT, token);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("x-ratelimit-limit-tokens")).contains("20");
        assertThat(ok.header("x-ratelimit-remaining-tokens")).contains(left);
        assertThat(ok.header("x-ratelimit-limit-requests")).isEmpty();
        awaitLines(access, ++calls); // the debit is done when the call's line is written
      }
    } finally {
      accessLogger.detachAppender(access);
    }
    LiveServer.Reply refused = post("/v1/chat/completions", UsageUpstream.CHAT, token);

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.body().at("/error/type").asText()).isEqualTo("tokens");
    assertThat(refused.body().at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(refused.header("x-ratelimit-remaining-tokens")).contains("0");
    assertThat(refused.header("retry-after")).isPresent();
  }

  /** Waits (at most 10 s) until {@code access} holds {@code n} lines. */
  private static void awaitLines(ListAppender<ILoggingEvent> access, int n) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (access.list.size() < n && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Test
  void callWhenLimitClearedThenNoLongerLimitedNorReported() {
    Federation f = federation();
    server.adminOk(
        "POST", accountPath(f), Map.of("rate_limits", Map.of("max_requests_per_1_minute", 1)));
    String token = tokenFor(f);
    assertThat(post("/v1/chat/completions", UsageUpstream.CHAT, token).status()).isEqualTo(200);
    assertThat(post("/v1/chat/completions", UsageUpstream.CHAT, token).status()).isEqualTo(429);

    Map<String, Object> cleared = new HashMap<>();
    cleared.put("rate_limits", null);
    JsonNode account = server.adminOk("POST", accountPath(f), cleared);
    assertThat(account.at("/rate_limits/max_requests_per_1_minute").isNull()).isTrue();

    LiveServer.Reply ok = post("/v1/chat/completions", UsageUpstream.CHAT, token);
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.header("x-ratelimit-limit-requests")).isEmpty();
  }

  @Test
  void usageWhenCallsMadeThenBucketsAddUpPerProjectAndModelForJsonAndStreams() {
    long start = Clock.systemUTC().instant().getEpochSecond() - 60;
    Federation a = federation();
    Federation b = federation();
    String tokenA = tokenFor(a);
    String tokenB = tokenFor(b);
    ListAppender<ILoggingEvent> access = new ListAppender<>();
    Logger accessLogger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
    access.start();
    accessLogger.addAppender(access);
    try {
      assertThat(post("/v1/responses", UsageUpstream.RESPONSE, tokenA).status()).isEqualTo(200);
      assertThat(post("/v1/responses", UsageUpstream.RESPONSE, tokenA).status()).isEqualTo(200);
      LiveServer.Reply stream = post("/v1/chat/completions", UsageUpstream.CHAT_STREAM, tokenA);
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.raw().body()).contains("data: [DONE]");
      assertThat(post("/v1/chat/completions", UsageUpstream.CHAT, tokenB).status()).isEqualTo(200);
      assertThat(post("/v1/responses", UsageUpstream.RESPONSE_STREAM, tokenB).status())
          .isEqualTo(200);
      assertThat(server.get("/v1/models/nope", Optional.of(tokenB)).status()).isEqualTo(404);
      // a call is counted just after its last byte is sent: wait for the sixth (bounded)
      awaitLines(access, 6);
    } finally {
      accessLogger.detachAppender(access);
    }

    String filter = "&project_ids=" + a.projectId() + "&project_ids=" + b.projectId();
    Map<String, List<Long>> byProjectAndModel =
        sums(
            server.adminOk(
                "GET",
                "/usage/completions?start_time=" + start + "&group_by=project_id,model" + filter,
                null));
    assertThat(byProjectAndModel)
        .containsOnly(
            Map.entry(a.projectId() + "/gpt-4.1-mini", List.of(2L, 22L, 14L)),
            Map.entry(a.projectId() + "/gpt-4o-mini", List.of(1L, 5L, 6L)),
            Map.entry(b.projectId() + "/gpt-4o-mini", List.of(1L, 3L, 4L)),
            Map.entry(b.projectId() + "/gpt-4.1-mini", List.of(1L, 13L, 17L)),
            Map.entry(b.projectId() + "/null", List.of(1L, 0L, 0L)));

    JsonNode perMinute =
        server.adminOk(
            "GET",
            "/usage/completions?start_time="
                + start
                + "&bucket_width=1m&group_by%5B%5D=project_id"
                + filter,
            null);
    assertThat(perMinute.get("object").asText()).isEqualTo("page");
    assertThat(perMinute.at("/data/0/object").asText()).isEqualTo("bucket");
    assertThat(
            perMinute.at("/data/0/end_time").asLong() - perMinute.at("/data/0/start_time").asLong())
        .isEqualTo(60);
    assertThat(sums(perMinute))
        .containsOnly(
            Map.entry(a.projectId() + "/null", List.of(3L, 27L, 20L)),
            Map.entry(b.projectId() + "/null", List.of(3L, 16L, 21L)));

    JsonNode ungrouped =
        server.adminOk(
            "GET",
            "/usage/completions?start_time=" + start + "&project_ids=" + b.projectId(),
            null);
    JsonNode result = ungrouped.at("/data/0/results/0");
    if (result.isMissingNode()) { // the calls fell in the next UTC day
      result = ungrouped.at("/data/1/results/0");
    }
    assertThat(result.get("object").asText()).isEqualTo("organization.usage.completions.result");
    assertThat(result.get("num_model_requests").asLong()).isEqualTo(3);
    assertThat(result.get("project_id").isNull()).isTrue();

    List<String> lines = access.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(lines).hasSize(6);
    assertThat(lines.getFirst())
        .startsWith("method=POST path=/v1/responses status=200 ")
        .contains("project=" + a.projectId(), "service_account=" + a.accountId())
        .contains("model=gpt-4.1-mini input_tokens=11 output_tokens=7");
    assertThat(lines.get(4)).contains("model=gpt-4.1-mini input_tokens=13 output_tokens=17");
    assertThat(lines.get(5)).contains("path=/v1/models/nope status=404", "model=-");
    assertThat(String.join("\n", lines)).doesNotContain(tokenA, tokenB, "Hello");
  }

  @Test
  void usageWhenMoreBucketsThanTheLimitThenPagedWithNextPage() {
    long start = 1_796_515_200L; // a whole UTC day
    String query =
        "/usage/completions?start_time="
            + start
            + "&end_time="
            + (start + 300)
            + "&bucket_width=1m&limit=2";
    JsonNode first = server.adminOk("GET", query, null);
    assertThat(first.get("data")).hasSize(2);
    assertThat(first.at("/data/0/start_time").asLong()).isEqualTo(start);
    assertThat(first.get("has_more").asBoolean()).isTrue();
    String next = first.get("next_page").asText();

    JsonNode second = server.adminOk("GET", query + "&page=" + next, null);
    assertThat(second.at("/data/0/start_time").asLong()).isEqualTo(start + 120);
    JsonNode third =
        server.adminOk("GET", query + "&page=" + second.get("next_page").asText(), null);
    assertThat(third.get("data")).hasSize(1);
    assertThat(third.at("/data/0/end_time").asLong()).isEqualTo(start + 300);
    assertThat(third.get("has_more").asBoolean()).isFalse();
    assertThat(third.get("next_page").isNull()).isTrue();
  }

  @Test
  void usageAndLimitsWhenBadParametersThen400NamingThem() {
    Federation f = federation();
    assertThat(param(server.admin("GET", "/usage/completions", null))).isEqualTo("start_time");
    assertThat(param(server.admin("GET", "/usage/completions?start_time=x", null)))
        .isEqualTo("start_time");
    assertThat(param(server.admin("GET", "/usage/completions?start_time=0&bucket_width=2h", null)))
        .isEqualTo("bucket_width");
    assertThat(param(server.admin("GET", "/usage/completions?start_time=0&group_by=user_id", null)))
        .isEqualTo("group_by");
    assertThat(param(server.admin("GET", "/usage/completions?start_time=10&end_time=5", null)))
        .isEqualTo("end_time");
    assertThat(
            param(
                server.admin(
                    "GET", "/usage/completions?start_time=0&bucket_width=1d&limit=32", null)))
        .isEqualTo("limit");
    assertThat(param(server.admin("GET", "/usage/completions?start_time=0&page=zz", null)))
        .isEqualTo("page");

    assertThat(
            param(
                server.admin(
                    "POST",
                    accountPath(f),
                    Map.of("rate_limits", Map.of("max_requests_per_1_minute", 0)))))
        .isEqualTo("rate_limits.max_requests_per_1_minute");
    assertThat(
            param(
                server.admin(
                    "POST",
                    accountPath(f),
                    Map.of("rate_limits", Map.of("max_tokens_per_1_minute", 1.5)))))
        .isEqualTo("rate_limits.max_tokens_per_1_minute");
    assertThat(
            param(
                server.admin(
                    "POST", accountPath(f), Map.of("rate_limits", Map.of("max_images", 1)))))
        .isEqualTo("rate_limits.max_images");
    assertThat(param(server.admin("POST", accountPath(f), Map.of()))).isEqualTo("name");
  }

  private static String param(LiveServer.Reply reply) {
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(400);
    return reply.body().at("/error/param").asText();
  }

  /** "project/model" to [requests, input, output], summed over every bucket. */
  private static Map<String, List<Long>> sums(JsonNode page) {
    assertThat(page.get("has_more").asBoolean()).isFalse();
    Map<String, long[]> sums = new HashMap<>();
    for (JsonNode bucket : page.get("data")) {
      for (JsonNode r : bucket.get("results")) {
        String key = r.get("project_id").asText() + "/" + r.get("model").asText();
        long[] s = sums.computeIfAbsent(key, k -> new long[3]);
        s[0] += r.get("num_model_requests").asLong();
        s[1] += r.get("input_tokens").asLong();
        s[2] += r.get("output_tokens").asLong();
      }
    }
    return sums.entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                e -> List.of(e.getValue()[0], e.getValue()[1], e.getValue()[2])));
  }

  /**
   * An upstream that reports known usage: {@code /v1/responses} (JSON 11 in / 7 out, or a stream
   * whose {@code response.completed} says 13 / 17) and {@code /v1/chat/completions} (JSON 3 / 4, or
   * a stream whose last chunk says 5 / 6); anything else is a 404 OpenAI error.
   */
  static final class UsageUpstream implements AutoCloseable {
    static final String RESPONSE = "{\"model\":\"gpt-4.1-mini\",\"input\":\"Hello\"}";
    static final String RESPONSE_STREAM =
        "{\"model\":\"gpt-4.1-mini\",\"input\":\"Hello\",\"stream\":true}";
    static final String CHAT =
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
    static final String CHAT_STREAM =
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],"
            + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}";

    final AtomicInteger calls = new AtomicInteger();
    private final HttpServer http;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    UsageUpstream() {
      try {
        http =
            HttpServer.create(
                new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      http.setExecutor(executor);
      http.createContext("/", this::handle);
      http.start();
    }

    String url() {
      return "http://127.0.0.1:" + http.getAddress().getPort() + "/v1";
    }

    private void handle(HttpExchange ex) throws IOException {
      calls.incrementAndGet();
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      boolean stream = body.contains("\"stream\":true");
      try (ex) {
        switch (ex.getRequestURI().getPath()) {
          case "/v1/responses" -> {
            if (stream) {
              sse(
                  ex,
                  "event: response.created\ndata: {\"type\":\"response.created\",\"response\":"
                      + "{\"id\":\"resp_1\",\"model\":\"gpt-4.1-mini\",\"usage\":null}}\n\n",
                  "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\","
                      + "\"delta\":\"Hi\"}\n\n",
                  "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":"
                      + "{\"id\":\"resp_1\",\"model\":\"gpt-4.1-mini\",\"usage\":{\"input_tokens\":13,"
                      + "\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":17,"
                      + "\"total_tokens\":30}}}\n\n");
            } else {
              json(
                  ex,
                  200,
                  "{\"id\":\"resp_1\",\"object\":\"response\",\"model\":\"gpt-4.1-mini\",\"output\":[],"
                      + "\"usage\":{\"input_tokens\":11,\"output_tokens\":7,\"total_tokens\":18}}");
            }
          }
          case "/v1/chat/completions" -> {
            if (stream) {
              String chunk =
                  "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
                      + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n";
              sse(
                  ex,
                  chunk,
                  chunk,
                  "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
                      + "\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":6,"
                      + "\"total_tokens\":11}}\n\n",
                  "data: [DONE]\n\n");
            } else {
              json(
                  ex,
                  200,
                  "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1700000000,"
                      + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
                      + "\"assistant\",\"content\":\"Hi\",\"refusal\":null},\"logprobs\":null,"
                      + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,"
                      + "\"completion_tokens\":4,\"total_tokens\":7}}");
            }
          }
          default ->
              json(
                  ex,
                  404,
                  "{\"error\":{\"message\":\"not found\",\"type\":\"invalid_request_error\","
                      + "\"param\":null,\"code\":\"model_not_found\"}}");
        }
      }
    }

    private static void json(HttpExchange ex, int status, String body) throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.getResponseHeaders().add("x-request-id", "req_usage_it");
      ex.sendResponseHeaders(status, bytes.length);
      ex.getResponseBody().write(bytes);
    }

    private static void sse(HttpExchange ex, String... events) throws IOException {
      ex.getResponseHeaders().add("Content-Type", "text/event-stream");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      for (String event : events) {
        byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
        // in two writes, so events cross read boundaries
        out.write(bytes, 0, bytes.length / 2);
        out.flush();
        out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
        out.flush();
      }
    }

    @Override
    public void close() {
      http.stop(0);
      executor.shutdownNow();
    }
  }
}
