package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.TestIssuer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code wif serve --upstream URL}: a real server proxying {@code /v1} to a {@link
 * ScriptedUpstream} over real HTTP, with access tokens from real exchanges.
 */
class UpstreamProxyIT {
  private static final String UPSTREAM_KEY = "sk-upstream-it-0123456789";
  private static final long IDLE_MILLIS = 800;

  /** What the proxy may take beyond a timeout to end the call (a loaded 2-core machine). */
  private static final long SLACK_MILLIS = 3000;

  @TempDir static Path dir;
  @TempDir static Path downDir;
  static ScriptedUpstream upstream;
  static LiveServer server;
  static TestIssuer issuer;
  static String token;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    upstream = new ScriptedUpstream();
    issuer = TestIssuer.start();
    server =
        LiveServer.start(
            LiveServer.config(dir)
                .withUpstream(
                    GatewayUpstream.proxyingTo(UpstreamTarget.parse(upstream.url()))
                        .withApiKey(UPSTREAM_KEY)
                        .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(700))
                        .withIdleTimeout(Duration.ofMillis(IDLE_MILLIS))));
    token = tokenFor(server, Federation.allScopes());
  }

  @AfterAll
  static void stop() {
    server.close();
    issuer.close();
    upstream.close();
  }

  private static String tokenFor(LiveServer live, Map<String, Object> permissions) {
    Federation federation = Federation.uploaded(live, issuer, permissions);
    LiveServer.Reply reply =
        live.exchangeJson(federation.exchangeParams(federation.subjectToken(Clock.systemUTC())));
    assertThat(reply.status()).isEqualTo(200);
    return reply.body().get("access_token").asText();
  }

  @Test
  void proxyWhenAuthorizedThenUpstreamGetsPathQueryAndItsKeyButNeverTheAccessToken() {
    LiveServer.Reply reply =
        server.post(
            "/v1/files/file-1/content?limit=2&order=desc",
            "application/json",
            "{\"x\":1}",
            Optional.of(token));

    assertThat(reply.status()).isEqualTo(200);
    ScriptedUpstream.Received got = upstream.last();
    assertThat(got.method()).isEqualTo("POST");
    assertThat(got.uri()).isEqualTo("/v1/files/file-1/content?limit=2&order=desc");
    assertThat(got.body()).isEqualTo("{\"x\":1}");
    assertThat(got.headers().get("authorization")).containsExactly("Bearer " + UPSTREAM_KEY);
    assertThat(got.headers().toString()).doesNotContain(token);
  }

  @Test
  void proxyWhenJsonAnswerThenStatusBodyAndOpenAiHeadersPassButOthersDoNot() {
    LiveServer.Reply reply = server.get("/v1/vector_stores", Optional.of(token));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.raw().body()).isEqualTo("{\"echo\":true}");
    assertThat(reply.header("x-request-id")).contains("req_upstream_1");
    assertThat(reply.header("openai-processing-ms")).contains("12");
    assertThat(reply.header("x-ratelimit-remaining-requests")).contains("99");
    assertThat(reply.header("set-cookie")).isEmpty();
    assertThat(reply.header("x-upstream-internal")).isEmpty();
    assertThat(reply.raw().body()).doesNotContain(UPSTREAM_KEY);
  }

  @Test
  void proxyWhenUpstreamAnswers4xxThenStatusAndBodyPassThrough() {
    LiveServer.Reply reply = server.get("/v1/bad", Optional.of(token));

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("model_not_found");
    assertThat(reply.body().at("/error/message").asText()).isEqualTo("bad model");
  }

  @Test
  void proxyWhenUpstreamRefusesTheUpstreamKeyThen502NotA401ThatWouldMakeSdksReExchange() {
    try (ServerLogs logs = ServerLogs.capture()) {
      LiveServer.Reply reply = server.get("/v1/key-refused", Optional.of(token));

      assertThat(reply.status()).isEqualTo(502);
      assertThat(reply.body().at("/error/code").asText()).isEqualTo("upstream_unauthorized");
      assertThat(reply.header("x-should-retry")).contains("false");
      assertThat(reply.header("www-authenticate")).isEmpty();
      assertThat(logs.warnings())
          .singleElement()
          .satisfies(w -> assertThat(w.message()).contains("/v1/key-refused").contains("401"));
    }
  }

  @Test
  void proxyWhenUpstreamStreamsEventsThenEachArrivesAsSentNotAtTheEnd() throws Exception {
    server.get("/v1/models", Optional.of(token)); // warm the connection and the JIT
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.url() + "/v1/stream"))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();

    long start = System.nanoTime();
    HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
    List<String> events = new ArrayList<>();
    long firstEventMillis = -1;
    try (Stream<String> lines = response.body()) {
      Iterator<String> it = lines.iterator();
      while (it.hasNext()) {
        String line = it.next();
        if (line.startsWith("data: ")) {
          if (firstEventMillis < 0) {
            firstEventMillis = (System.nanoTime() - start) / 1_000_000;
          }
          events.add(line);
        }
      }
    }
    long allMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).contains("text/event-stream");
    assertThat(firstEventMillis).isLessThan(300);
    assertThat(allMillis).isGreaterThanOrEqualTo(800);
    assertThat(events)
        .containsExactly(
            "data: {\"n\":1}",
            "data: {\"n\":2}",
            "data: {\"n\":3}",
            "data: {\"n\":4}",
            "data: {\"n\":5}",
            "data: [DONE]");
  }

  @Test
  void proxyWhenClientLeavesMidStreamThenTheUpstreamStreamIsCut() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.url() + "/v1/long-stream"))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
    HttpResponse<InputStream> response =
        http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      assertThat(new String(body.readNBytes(8), StandardCharsets.UTF_8)).isEqualTo("data: {\"");
    }

    assertThat(upstream.longStreamCutWithin(5)).isTrue();
  }

  @Test
  void proxyWhenUpstreamSlowerThanFirstByteTimeoutThen504InOpenAiShape() {
    LiveServer.Reply reply = server.get("/v1/slow", Optional.of(token));

    assertThat(reply.status()).isEqualTo(504);
    assertThat(reply.body().at("/error/type").asText()).isEqualTo("server_error");
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("upstream_timeout");
  }

  @Test
  void proxyWhenUpstreamDownThen502InOpenAiShape() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (LiveServer down =
        LiveServer.start(
            LiveServer.config(downDir)
                .withUpstream(
                    GatewayUpstream.proxyingTo(
                        UpstreamTarget.parse("http://127.0.0.1:" + closedPort + "/v1"))))) {
      String downToken = tokenFor(down, Federation.allScopes());

      LiveServer.Reply reply = down.get("/v1/models", Optional.of(downToken));

      assertThat(reply.status()).isEqualTo(502);
      assertThat(reply.body().at("/error/type").asText()).isEqualTo("server_error");
      assertThat(reply.body().at("/error/code").asText()).isEqualTo("upstream_unreachable");

      try (RawHttp raw = RawHttp.open(down.port())) {
        RawHttp.Read upload =
            raw.send(rawUploadStart("/v1/responses", downToken, 10_000_000))
                .send("{\"model\":\"x\"")
                .readUntilClosed(8000);

        assertThat(upload.statusLine()).isEqualTo("HTTP/1.1 502 Bad Gateway");
        assertThat(upload.headersLowerCase()).contains("connection: close");
        assertThat(upload.closedByServer())
            .as("closed without waiting for the rest of the upload")
            .isTrue();
        assertThat(upload.millis()).isLessThan(SLACK_MILLIS);
      }
    }
  }

  @Test
  void proxyWhenUpstreamSilentAfterHeadersThen504WithinTheIdleTimeout() throws Exception {
    try (ServerLogs logs = ServerLogs.capture()) {
      long start = System.nanoTime();
      LiveServer.Reply reply = server.get("/v1/silent-after-headers", Optional.of(token));
      long millis = (System.nanoTime() - start) / 1_000_000;

      assertThat(reply.status()).isEqualTo(504);
      assertThat(reply.body().at("/error/code").asText()).isEqualTo("upstream_timeout");
      assertThat(millis).isBetween(IDLE_MILLIS - 100, IDLE_MILLIS + SLACK_MILLIS);
      assertThat(logs.warnings())
          .singleElement()
          .satisfies(
              warning -> {
                assertThat(warning.message())
                    .contains("GET /v1/silent-after-headers")
                    .contains("idle timeout");
                assertThat(warning.withThrowable()).isFalse();
              });
    }
  }

  @Test
  void proxyWhenUpstreamStallsMidStreamThenTheClientConnectionIsCutWithinTheIdleTimeout()
      throws Exception {
    try (ServerLogs logs = ServerLogs.capture();
        RawHttp raw = RawHttp.open(server.port())) {
      RawHttp.Read read = raw.send(rawGetText("/v1/stall-mid-stream")).readUntilClosed(8000);

      assertThat(read.statusLine()).isEqualTo("HTTP/1.1 200 OK");
      assertThat(read.headersLowerCase()).contains("transfer-encoding: chunked");
      assertThat(read.body()).contains(ScriptedUpstream.FIRST_EVENT).doesNotEndWith("0\r\n\r\n");
      assertThat(read.closedByServer()).as("the server cut the connection").isTrue();
      assertThat(read.millis()).isLessThan(IDLE_MILLIS + SLACK_MILLIS);
      assertThat(logs.warnings())
          .singleElement()
          .satisfies(
              warning -> {
                assertThat(warning.message())
                    .contains("GET /v1/stall-mid-stream")
                    .contains("idle timeout")
                    .doesNotContain("data:");
                assertThat(warning.withThrowable()).isFalse();
              });
    }
  }

  @Test
  void proxyWhenUpstreamCutsMidStreamThenTheClientSeesATruncatedStreamAndOneWarnNoError()
      throws Exception {
    try (ServerLogs logs = ServerLogs.capture();
        RawHttp raw = RawHttp.open(server.port())) {
      RawHttp.Read read = raw.send(rawGetText("/v1/cut-mid-stream")).readUntilClosed(8000);

      assertThat(read.statusLine()).isEqualTo("HTTP/1.1 200 OK");
      assertThat(read.headersLowerCase()).contains("transfer-encoding: chunked");
      assertThat(read.body()).contains(ScriptedUpstream.FIRST_EVENT).doesNotEndWith("0\r\n\r\n");
      assertThat(read.closedByServer()).isTrue();
      assertThat(logs.events()).noneMatch(event -> event.level().equals("ERROR"));
      assertThat(logs.warnings())
          .singleElement()
          .satisfies(
              warning -> {
                assertThat(warning.message())
                    .contains("GET /v1/cut-mid-stream")
                    .contains("failed mid-body");
                assertThat(warning.withThrowable()).isFalse();
              });
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.url() + "/v1/cut-mid-stream"))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(10))
            .build();
    assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
        .as("the JDK client sees a truncated body, not a complete one")
        .isInstanceOf(java.io.IOException.class);
  }

  private static String rawGetText(String path) {
    return String.join(
        "\r\n",
        "GET " + path + " HTTP/1.1",
        "Host: 127.0.0.1",
        "Authorization: Bearer " + token,
        "",
        "");
  }

  private static String rawUploadStart(String path, String bearer, long contentLength) {
    return String.join(
        "\r\n",
        "POST " + path + " HTTP/1.1",
        "Host: 127.0.0.1",
        "Authorization: Bearer " + bearer,
        "Content-Type: application/json",
        "Content-Length: " + contentLength,
        "",
        "");
  }

  @Test
  void proxyWhenRestrictedTokenThenGrantedRoutesProxiedOthers403() {
    String restricted = tokenFor(server, Federation.scopes("api.model.read", "api.files.read"));

    LiveServer.Reply models = server.get("/v1/models", Optional.of(restricted));
    LiveServer.Reply files = server.get("/v1/files", Optional.of(restricted));
    LiveServer.Reply responses =
        server.post("/v1/responses", "application/json", "{}", Optional.of(restricted));
    LiveServer.Reply unmapped = server.get("/v1/stream", Optional.of(restricted));

    assertThat(models.status()).isEqualTo(200);
    assertThat(files.status()).isEqualTo(200);
    assertThat(responses.status()).isEqualTo(403);
    assertThat(responses.body().at("/error/code").asText()).isEqualTo("insufficient_scope");
    assertThat(unmapped.status()).isEqualTo(403);
    assertThat(unmapped.body().at("/error/code").asText()).isEqualTo("insufficient_scope");
  }

  @Test
  void proxyWhenNoTokenOrAdminPathThenNeverReachesTheUpstream() {
    LiveServer.Reply anonymous = server.get("/v1/files", Optional.empty());
    LiveServer.Reply admin = server.get("/v1/organization/projects", Optional.of(token));
    LiveServer.Reply adminWithKey =
        server.get("/v1/organization/projects", Optional.of(LiveServer.ADMIN_KEY));

    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(admin.status()).isEqualTo(401);
    assertThat(adminWithKey.status()).isEqualTo(200);
    assertThat(adminWithKey.body().has("data")).isTrue();
  }

  /**
   * Raw paths that routing normalises or decodes (so authorization saw another path than the raw
   * one) are refused before the upstream is called.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/v1/../v1/chat/completions",
        "/v1/models/../files",
        "/v1/./models",
        "/v1/models;x=1",
        "/v1/organization/admin_api_keys/..;/..;/..;/v1/models",
        "/v1/models/..%5Cfiles",
        "/v1/models/%2e%2e/files",
        "/v1/models%2Ffiles",
        "/v1//models",
        "http://127.0.0.1/v1/models"
      })
  void proxyWhenRawPathIsNotWhatRoutingMatchedThenNeverReachesTheUpstream(String target)
      throws Exception {
    ScriptedUpstream.Received before = upstream.last();

    String statusLine = rawGet(target);

    assertThat(statusLine).doesNotContain(" 200 ").doesNotContain(" 500 ");
    assertThat(upstream.last()).as("the upstream was not called").isSameAs(before);
  }

  @Test
  void proxyWhenMethodIsNotAnApiMethodThen405AndNeverReachesTheUpstream() throws Exception {
    ScriptedUpstream.Received before = upstream.last();

    HttpResponse<String> reply =
        http.send(
            HttpRequest.newBuilder(URI.create(server.url() + "/v1/files"))
                .method("TRACE", HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(reply.statusCode()).isEqualTo(405);
    assertThat(upstream.last()).isSameAs(before);
  }

  /** Sends {@code GET target} exactly as written, with the access token; the status line. */
  private static String rawGet(String target) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          String.join(
                  "\r\n",
                  "GET " + target + " HTTP/1.1",
                  "Host: 127.0.0.1",
                  "Authorization: Bearer " + token,
                  "Connection: close",
                  "",
                  "")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String statusLine =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      return statusLine == null ? "" : statusLine;
    }
  }

  @Test
  void sdkWhenAccessTokenIsItsApiKeyThenResponsesCreateReturnsTheUpstreamText() {
    OpenAIClient client =
        OpenAIOkHttpClient.builder()
            .baseUrl(server.url() + "/v1")
            .apiKey(token)
            .responseValidation(true)
            .timeout(Duration.ofSeconds(20))
            .build();

    Response response =
        client
            .responses()
            .create(ResponseCreateParams.builder().model("gpt-4.1-mini").input("hi").build());

    assertThat(response.output().getFirst().asMessage().content().getFirst().asOutputText().text())
        .isEqualTo(ScriptedUpstream.RESPONSE_TEXT);
    assertThat(upstream.last().uri()).isEqualTo("/v1/responses");
    assertThat(upstream.last().headers().get("authorization"))
        .containsExactly("Bearer " + UPSTREAM_KEY);
    client.close();
  }
}
