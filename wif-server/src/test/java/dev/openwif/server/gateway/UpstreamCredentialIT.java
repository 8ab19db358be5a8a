package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.TestIssuer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway with a renewable upstream token ({@link UpstreamCredential}), over real HTTP: an
 * upstream that accepts only the token it was told to answers 401 to a stale one, the gateway
 * reports it and replays the request once with the next token; a credential that cannot get a token
 * gives the client 502 naming the cause, without reaching the upstream.
 */
class UpstreamCredentialIT {
  @TempDir static Path dir;
  static HttpServer upstream;
  static LiveServer server;
  static TestIssuer issuer;
  static String token;
  static final ScriptedCredential credential = new ScriptedCredential();
  static final AtomicReference<String> accepted = new AtomicReference<>("");
  static final List<String> received = new CopyOnWriteArrayList<>();

  /** Hands out {@code tok-1}, {@code tok-2}, … : a new one after each {@link #rejected}. */
  static final class ScriptedCredential implements UpstreamCredential {
    final AtomicInteger generation = new AtomicInteger(1);
    final List<String> rejected = new CopyOnWriteArrayList<>();
    volatile @Nullable String failure;

    @Override
    public Optional<String> current() {
      String why = failure;
      if (why != null) {
        throw new UpstreamCredentialException(why);
      }
      return Optional.of("tok-" + generation.get());
    }

    @Override
    public void rejected(String token) {
      rejected.add(token);
      generation.compareAndSet(Integer.parseInt(token.substring(4)), generation.get() + 1);
    }

    @Override
    public UpstreamCredentialState state() {
      return new UpstreamCredentialState(
          Optional.of(Instant.now().plusSeconds(60)), Optional.empty());
    }

    @Override
    public String description() {
      return "scripted";
    }
  }

  @BeforeAll
  static void start() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.createContext(
        "/v1/",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String auth = String.valueOf(ex.getRequestHeaders().getFirst("Authorization"));
          received.add(auth + " " + body);
          byte[] answer =
              auth.equals("Bearer " + accepted.get())
                  ? ("{\"echo\":" + (body.isEmpty() ? "null" : body) + "}")
                      .getBytes(StandardCharsets.UTF_8)
                  : "{\"error\":{\"code\":\"invalid_api_key\"}}".getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(
              auth.equals("Bearer " + accepted.get()) ? 200 : 401, answer.length);
          ex.getResponseBody().write(answer);
          ex.close();
        });
    upstream.start();
    issuer = TestIssuer.start();
    server =
        LiveServer.start(
            LiveServer.config(dir)
                .withUpstream(
                    GatewayUpstream.proxyingTo(
                            UpstreamTarget.parse(
                                "http://127.0.0.1:" + upstream.getAddress().getPort() + "/v1"))
                        .withApiKey(credential)
                        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))));
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
    upstream.stop(0);
  }

  @BeforeEach
  void reset() {
    received.clear();
    credential.rejected.clear();
    credential.failure = null;
  }

  @Test
  void proxyWhenUpstreamRefusesTheTokenThenItIsReportedAndTheRequestReplayedOnceWithTheNext() {
    int before = credential.generation.get();
    accepted.set("tok-" + (before + 1)); // the cached token is stale, the next one is good

    LiveServer.Reply reply =
        server.post("/v1/responses", "application/json", "{\"model\":\"m\"}", Optional.of(token));

    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    assertThat(reply.raw().body()).isEqualTo("{\"echo\":{\"model\":\"m\"}}");
    assertThat(credential.rejected).containsExactly("tok-" + before);
    assertThat(received)
        .containsExactly(
            "Bearer tok-" + before + " {\"model\":\"m\"}",
            "Bearer tok-" + (before + 1) + " {\"model\":\"m\"}");
  }

  @Test
  void proxyWhenTheRenewedTokenIsRefusedTooThen502AfterOneReplayNotALoop() {
    accepted.set("never");
    int before = credential.generation.get();

    LiveServer.Reply reply = server.get("/v1/models", Optional.of(token));

    assertThat(reply.status()).isEqualTo(502);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("upstream_unauthorized");
    assertThat(reply.header("x-should-retry")).contains("false");
    assertThat(received).hasSize(2);
    assertThat(credential.rejected).containsExactly("tok-" + before);
  }

  @Test
  void proxyWhenNoTokenCanBeHadThen502NamingTheCauseAndTheUpstreamIsNotCalled() {
    credential.failure =
        "the upstream's token endpoint refused this gateway's token exchange (HTTP 403,"
            + " access_denied).";

    LiveServer.Reply reply =
        server.post("/v1/responses", "application/json", "{\"model\":\"m\"}", Optional.of(token));

    assertThat(reply.status()).isEqualTo(502);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("upstream_unauthorized");
    assertThat(reply.body().at("/error/message").asText())
        .startsWith("This gateway could not get its own credentials for the upstream API")
        .endsWith(
            "Cause: the upstream's token endpoint refused this gateway's token exchange (HTTP"
                + " 403, access_denied).");
    assertThat(received).isEmpty();
  }

  @Test
  void readyzWhenUpstreamCredentialThenReportedButNotRequired() {
    LiveServer.Reply reply = server.get("/readyz", Optional.empty());

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.raw().body())
        .containsPattern(
            "\\{\"name\":\"upstream_credential\",\"ok\":true,\"required\":false,\"detail\":\"scripted:"
                + " fresh, expires in 5\\d s\"}");
  }

  @Test
  void metricsWhenUpstreamCredentialThenFreshAndSecondsLeft() {
    String metrics = server.get("/metrics", Optional.empty()).raw().body();

    assertThat(metrics).contains("wif_gateway_upstream_credential_fresh 1.0");
    assertThat(metrics).containsPattern("wif_gateway_upstream_credential_expiry_seconds 5\\d\\.0");
  }
}
