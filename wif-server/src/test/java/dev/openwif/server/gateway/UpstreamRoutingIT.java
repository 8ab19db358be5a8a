package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.TestIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which upstream gets a request, and with which key: {@code --upstream-route local-*} to a second
 * upstream (no key), everything else to {@code --upstream} with the key file, re-read when it
 * changes. A real server proxying to two {@link ScriptedUpstream}s, with access tokens from real
 * exchanges.
 */
class UpstreamRoutingIT {
  private static final String FIRST_KEY = "sk-upstream-first-0123456789";
  private static final String SECOND_KEY = "sk-upstream-second-0123456789";

  @TempDir static Path dir;
  static Path keyFile;
  static ScriptedUpstream main;
  static ScriptedUpstream local;
  static LiveServer server;
  static TestIssuer issuer;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    main = new ScriptedUpstream();
    local = new ScriptedUpstream();
    issuer = TestIssuer.start();
    keyFile = Files.writeString(dir.resolve("upstream-key"), FIRST_KEY + "\n");
    server =
        LiveServer.start(
            LiveServer.config(dir)
                .withUpstream(
                    GatewayUpstream.proxyingTo(UpstreamTarget.parse(main.url()))
                        .withApiKey(new UpstreamKeyFile(keyFile, Duration.ZERO))
                        .withRoutes(
                            List.of(
                                UpstreamRoute.parse(1, "local-*=" + local.url()),
                                UpstreamRoute.parse(2, "*-local=" + local.url())))));
    Federation federation = Federation.uploaded(server, issuer, Federation.allScopes());
    LiveServer.Reply reply =
        server.exchangeJson(federation.exchangeParams(federation.subjectToken(Clock.systemUTC())));
    assertThat(reply.status()).isEqualTo(200);
    token = reply.body().get("access_token").asText();
  }

  @AfterAll
  static void stop() {
    server.close();
    issuer.close();
    main.close();
    local.close();
  }

  @Test
  void routeWhenModelMatchesThenTheRouteTargetGetsTheBodyAsSentAndNoAuthorization() {
    ScriptedUpstream.Received mainBefore = main.last();
    String body =
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"model\":\"local-llama\"}";

    LiveServer.Reply reply =
        server.post("/v1/chat/completions", "application/json", body, Optional.of(token));

    assertThat(reply.status()).isEqualTo(200);
    ScriptedUpstream.Received got = local.last();
    assertThat(got.uri()).isEqualTo("/v1/chat/completions");
    assertThat(got.body()).isEqualTo(body);
    assertThat(got.headers()).doesNotContainKey("authorization");
    assertThat(got.headers().toString()).doesNotContain(FIRST_KEY).doesNotContain(token);
    assertThat(main.last()).as("the default upstream was not called").isSameAs(mainBefore);
  }

  @Test
  void routeWhenModelMatchesNoRouteThenTheDefaultUpstreamWithItsKey() {
    ScriptedUpstream.Received localBefore = local.last();
    String body = "{\"model\":\"gpt-4.1-mini\",\"input\":\"hi\"}";

    LiveServer.Reply reply =
        server.post("/v1/responses", "application/json; charset=utf-8", body, Optional.of(token));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(main.last().body()).isEqualTo(body);
    assertThat(main.last().headers().get("authorization")).containsExactly("Bearer " + FIRST_KEY);
    assertThat(local.last()).isSameAs(localBefore);
  }

  @Test
  void routeWhenSecondPatternMatchesThenItsTargetToo() {
    server.post(
        "/v1/embeddings",
        "application/json",
        "{\"model\":\"nomic-local\",\"input\":\"x\"}",
        Optional.of(token));

    assertThat(local.last().uri()).isEqualTo("/v1/embeddings");
  }

  @Test
  void routeWhenGetOrNotJsonThenTheDefaultUpstream() {
    ScriptedUpstream.Received localBefore = local.last();

    assertThat(server.get("/v1/models", Optional.of(token)).status()).isEqualTo(200);
    assertThat(main.last().uri()).isEqualTo("/v1/models");
    LiveServer.Reply form =
        server.post(
            "/v1/audio/transcriptions",
            "text/plain",
            "{\"model\":\"local-whisper\"}",
            Optional.of(token));

    assertThat(form.status()).isEqualTo(200);
    assertThat(main.last().uri()).isEqualTo("/v1/audio/transcriptions");
    assertThat(local.last()).isSameAs(localBefore);
  }

  @Test
  void routeWhenJsonPostHasNoBodyThenTheDefaultUpstream() {
    LiveServer.Reply reply =
        server.post("/v1/responses/resp_1/cancel", "application/json", "", Optional.of(token));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(main.last().uri()).isEqualTo("/v1/responses/resp_1/cancel");
    assertThat(main.last().body()).isEmpty();
  }

  @Test
  void routeWhenJsonMalformedOrDuplicateModelThen400AndNoUpstreamCalled() {
    ScriptedUpstream.Received mainBefore = main.last();
    ScriptedUpstream.Received localBefore = local.last();

    LiveServer.Reply broken =
        server.post("/v1/chat/completions", "application/json", "{\"model\":", Optional.of(token));
    LiveServer.Reply duplicate =
        server.post(
            "/v1/chat/completions",
            "application/json",
            "{\"model\":\"gpt-4\",\"model\":\"local-x\"}",
            Optional.of(token));

    assertThat(broken.status()).isEqualTo(400);
    assertThat(broken.body().at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(duplicate.status()).isEqualTo(400);
    assertThat(main.last()).isSameAs(mainBefore);
    assertThat(local.last()).isSameAs(localBefore);
  }

  @Test
  void routeWhenJsonBodyOverTheRoutingLimitThen413AndNoUpstreamCalled() {
    ScriptedUpstream.Received mainBefore = main.last();
    String big =
        "{\"model\":\"local-x\",\"input\":\""
            + "a".repeat(UpstreamProxy.ROUTING_BODY_LIMIT)
            + "\"}";

    LiveServer.Reply reply =
        server.post("/v1/responses", "application/json", big, Optional.of(token));

    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("payload_too_large");
    assertThat(reply.header("connection")).contains("close");
    assertThat(reply.header("x-should-retry")).contains("false");
    assertThat(main.last()).isSameAs(mainBefore);
  }

  @Test
  void keyFileWhenChangedThenTheNextRequestCarriesTheNewKey() throws Exception {
    try {
      assertThat(server.get("/v1/files", Optional.of(token)).status()).isEqualTo(200);
      assertThat(main.last().headers().get("authorization")).containsExactly("Bearer " + FIRST_KEY);

      Files.writeString(keyFile, SECOND_KEY + "\n");

      assertThat(server.get("/v1/files", Optional.of(token)).status()).isEqualTo(200);
      assertThat(main.last().headers().get("authorization"))
          .containsExactly("Bearer " + SECOND_KEY);
    } finally {
      Files.writeString(keyFile, FIRST_KEY + "\n");
    }
  }

  @Test
  void keyFileWhenEmptiedThenTheLastGoodKeyIsStillSent() throws Exception {
    try {
      Files.writeString(keyFile, "\n");

      assertThat(server.get("/v1/files", Optional.of(token)).status()).isEqualTo(200);
      assertThat(main.last().headers().get("authorization")).containsExactly("Bearer " + FIRST_KEY);
    } finally {
      Files.writeString(keyFile, FIRST_KEY + "\n");
    }
  }
}
