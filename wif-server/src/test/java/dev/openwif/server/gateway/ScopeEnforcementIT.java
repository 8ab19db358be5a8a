package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.TestIssuer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The route-to-scope table enforced on a real server proxying to a {@link ScriptedUpstream}, with
 * access tokens from real exchanges and rules changed through the admin API (the change reaches the
 * snapshot before the admin call returns).
 */
class ScopeEnforcementIT {
  @TempDir static Path dir;
  static ScriptedUpstream upstream;
  static LiveServer server;
  static TestIssuer issuer;

  @BeforeAll
  static void start() {
    upstream = new ScriptedUpstream();
    issuer = TestIssuer.start();
    server =
        LiveServer.start(
            LiveServer.config(dir)
                .withUpstream(
                    GatewayUpstream.proxyingTo(UpstreamTarget.parse(upstream.url()))
                        .withApiKey("sk-upstream-scopes-0123456789")
                        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))));
  }

  @AfterAll
  static void stop() {
    server.close();
    issuer.close();
    upstream.close();
  }

  private static String exchange(Federation federation) {
    LiveServer.Reply reply =
        server.exchangeJson(federation.exchangeParams(federation.subjectToken(Clock.systemUTC())));
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    return reply.body().get("access_token").asText();
  }

  /** A multipart file upload, as the SDKs send it (the scripted upstream refuses anything else). */
  private static LiveServer.Reply postFile(String token) {
    String boundary = "scope-enforcement-boundary";
    String body =
        ("--%1$s\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
                + "--%1$s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"in.jsonl\""
                + "\r\nContent-Type: application/octet-stream\r\n\r\n{}\r\n--%1$s--\r\n")
            .formatted(boundary);
    return server.post(
        "/v1/files", "multipart/form-data; boundary=" + boundary, body, Optional.of(token));
  }

  private static void assertForbidden(LiveServer.Reply reply, String scope, String message) {
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(403);
    assertThat(reply.body().at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("insufficient_scope");
    assertThat(reply.body().at("/error/message").asText()).contains(message);
    assertThat(reply.header("x-should-retry")).contains("false");
    assertThat(reply.header("WWW-Authenticate"))
        .contains(
            "Bearer realm=\"openwif\", error=\"insufficient_scope\", scope=\"" + scope + "\"");
  }

  private static void assertForbiddenUnmapped(LiveServer.Reply reply) {
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(403);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("insufficient_scope");
    assertThat(reply.body().at("/error/message").asText()).contains("no scope");
    assertThat(reply.header("WWW-Authenticate"))
        .contains("Bearer realm=\"openwif\", error=\"insufficient_scope\"");
  }

  @Test
  void proxyWhenTokenHasFilesReadThenListsFilesButCannotUploadNorReachOtherGroups() {
    String token =
        exchange(Federation.uploaded(server, issuer, Federation.scopes("api.files.read")));

    LiveServer.Reply list = server.get("/v1/files?purpose=batch", Optional.of(token));
    assertThat(list.status()).as(list.raw().body()).isEqualTo(200);
    assertThat(upstream.last().method()).isEqualTo("GET");
    assertThat(upstream.last().uri()).isEqualTo("/v1/files?purpose=batch");
    assertThat(server.get("/v1/files/file-abc123/content", Optional.of(token)).status())
        .isEqualTo(200);

    ScriptedUpstream.Received before = upstream.last();
    assertForbidden(postFile(token), "api.files.write", "does not carry the scope api.files.write");
    assertForbidden(
        server.get("/v1/vector_stores", Optional.of(token)),
        "api.vector_store.read",
        "api.vector_store.read");
    assertForbidden(
        server.post("/v1/embeddings", "application/json", "{}", Optional.of(token)),
        "api.model.request",
        "api.model.request");
    assertThat(upstream.last()).as("the upstream was not called").isSameAs(before);
  }

  @Test
  void proxyWhenRestrictedTokenOnARouteNotInTheTableThen403AndNeverReachesTheUpstream() {
    String token =
        exchange(
            Federation.uploaded(
                server, issuer, Federation.scopes("api.files.read", "api.model.read")));
    ScriptedUpstream.Received before = upstream.last();

    assertForbiddenUnmapped(server.get("/v1/not-an-openai-route", Optional.of(token)));
    assertForbiddenUnmapped(server.get("/v1/files/", Optional.of(token)));
    assertForbiddenUnmapped(server.get("/v1/files/file%2Dabc", Optional.of(token)));
    assertForbiddenUnmapped(server.get("/v1/FILES", Optional.of(token)));
    assertForbiddenUnmapped(
        server.post("/v1/models", "application/json", "{}", Optional.of(token)));
    assertThat(upstream.last()).as("the upstream was not called").isSameAs(before);
  }

  @Test
  void proxyWhenDefaultPermissionsThenMappedAndUnmappedRoutesBothProxied() {
    String token = exchange(Federation.uploaded(server, issuer, Federation.allScopes()));

    assertThat(postFile(token).status()).isEqualTo(200);
    assertThat(upstream.last().uri()).isEqualTo("/v1/files");
    assertThat(server.get("/v1/not-an-openai-route", Optional.of(token)).status()).isEqualTo(200);
    assertThat(upstream.last().uri()).isEqualTo("/v1/not-an-openai-route");
  }

  @Test
  void proxyWhenRuleNarrowedThroughAdminApiThenTokenAlreadyIssuedRefusedAtItsNextRequest() {
    Federation federation =
        Federation.uploaded(server, issuer, Federation.scopes("api.files.read", "api.files.write"));
    String token = exchange(federation);
    assertThat(postFile(token).status()).isEqualTo(200);

    server.updateRule(
        federation.providerId(),
        federation.ruleId(),
        Map.of("permissions", Federation.scopes("api.files.read")));

    assertForbidden(postFile(token), "api.files.write", "no longer grants the scope");
    assertThat(server.get("/v1/files", Optional.of(token)).status()).isEqualTo(200);
  }

  @Test
  void proxyWhenDefaultRuleNarrowedToRestrictedThenOldTokenLosesUnmappedRoutesAndOtherScopes() {
    Federation federation = Federation.uploaded(server, issuer, Federation.allScopes());
    String token = exchange(federation);
    assertThat(server.get("/v1/not-an-openai-route", Optional.of(token)).status()).isEqualTo(200);

    server.updateRule(
        federation.providerId(),
        federation.ruleId(),
        Map.of("permissions", Federation.scopes("api.model.read")));

    assertForbiddenUnmapped(server.get("/v1/not-an-openai-route", Optional.of(token)));
    assertForbidden(
        server.get("/v1/batches", Optional.of(token)), "api.batches.read", "no longer grants");
    assertThat(server.get("/v1/models", Optional.of(token)).status()).isEqualTo(200);
  }

  @Test
  void proxyWhenRuleWidenedThroughAdminApiThenOldTokenKeepsItsScopesAndANewTokenGetsTheNew() {
    Federation federation =
        Federation.uploaded(server, issuer, Federation.scopes("api.files.read"));
    String old = exchange(federation);

    server.updateRule(
        federation.providerId(),
        federation.ruleId(),
        Map.of("permissions", Federation.scopes("api.files.read", "api.files.write")));

    assertForbidden(postFile(old), "api.files.write", "does not carry");
    String fresh = exchange(federation);
    assertThat(postFile(fresh).status()).isEqualTo(200);

    server.updateRule(
        federation.providerId(),
        federation.ruleId(),
        Map.of("permissions", Federation.allScopes()));

    assertForbiddenUnmapped(server.get("/v1/not-an-openai-route", Optional.of(old)));
    assertThat(server.get("/v1/not-an-openai-route", Optional.of(exchange(federation))).status())
        .isEqualTo(200);
  }

  @Test
  void proxyWhenRuleDisabledThen401AsBeforeNot403() {
    Federation federation =
        Federation.uploaded(server, issuer, Federation.scopes("api.files.read"));
    String token = exchange(federation);

    server.updateRule(federation.providerId(), federation.ruleId(), Map.of("enabled", false));

    LiveServer.Reply reply = server.get("/v1/files", Optional.of(token));
    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.header("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).contains("error=\"invalid_token\""));
  }
}
