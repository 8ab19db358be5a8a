package dev.openwif.server.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.openwif.server.MetricsAddress;
import dev.openwif.server.gateway.GatewayUpstream;
import dev.openwif.server.gateway.UpstreamTarget;
import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.TestIssuer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of a real server over real HTTP after one token exchange (keys from OIDC
 * discovery at a real issuer) and one {@code /v1} call proxied to a real upstream: every metric the
 * operations guide names has a value, the label values hold no token or subject, and every metric
 * the Grafana dashboard queries is in the scrape.
 */
class MetricsIT {
  static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "openwif.json");

  @TempDir static Path dir;
  static HttpServer upstream;
  static TestIssuer issuer;
  static LiveServer server;
  static Federation federation;
  static String subjectToken;
  static String accessToken;
  static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.createContext(
        "/",
        ex -> {
          byte[] body = "{\"object\":\"list\",\"data\":[]}".getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
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
                        .withApiKey("sk-upstream-metrics-0123456789")));
    federation = Federation.discovery(server, issuer, Federation.allScopes());
    subjectToken = federation.subjectToken(Clock.systemUTC());
    LiveServer.Reply exchanged = server.exchangeJson(federation.exchangeParams(subjectToken));
    assertThat(exchanged.status()).isEqualTo(200);
    accessToken = exchanged.body().get("access_token").asText();
    assertThat(server.get("/v1/models", Optional.of(accessToken)).status()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    server.close();
    issuer.close();
    upstream.stop(0);
  }

  @Test
  void metricsWhenOneExchangeAndOneGatewayCallThenEveryMetricHasAValue() throws Exception {
    String scrape = scrape(server.url());

    assertThat(value(scrape, "wif_token_exchanges_total{outcome=\"issued\",reason=\"none\"}"))
        .isEqualTo(1);
    assertThat(value(scrape, "wif_token_exchange_duration_seconds_count")).isEqualTo(1);
    assertThat(value(scrape, "wif_token_exchange_duration_seconds_bucket{le=\"+Inf\"}"))
        .isEqualTo(1);
    assertThat(
            value(
                scrape,
                "wif_jwks_fetches_total{provider=\""
                    + federation.providerId()
                    + "\",result=\"ok\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(
            value(scrape, "wif_jwks_key_age_seconds{provider=\"" + federation.providerId() + "\"}"))
        .isBetween(0.0, 60.0);
    assertThat(value(scrape, "wif_gateway_requests_total{route=\"/v1/*\",status=\"200\"}"))
        .isEqualTo(1);
    assertThat(value(scrape, "wif_gateway_upstream_duration_seconds_count")).isEqualTo(1);
    assertThat(scrape).contains("wif_audit_queue_depth ", "wif_audit_events_dropped_total{");
    assertThat(value(scrape, "wif_admission_rejections_total")).isZero();
    assertThat(value(scrape, "wif_federation_snapshot_age_seconds")).isBetween(0.0, 60.0);
    String crypto = NativeCrypto.current().nativeActive() ? "native" : "jdk";
    assertThat(scrape)
        .containsPattern("wif_build_info\\{crypto=\"" + crypto + "\",version=\"[^\"]+\"} 1");
    assertThat(scrape).containsPattern("(?m)^jvm_memory_used_bytes\\{area=\"heap\"");
    assertThat(value(scrape, "process_cpu_usage")).isGreaterThanOrEqualTo(0);
    assertThat(
            value(
                scrape,
                "wif_http_requests_total{method=\"POST\",route=\"/oauth/token\",status=\"200\"}"))
        .isEqualTo(1);
  }

  @Test
  void metricsWhenScrapedThenNoTokenSubjectOrKeyIsInIt() throws Exception {
    String scrape = scrape(server.url());

    assertThat(scrape)
        .doesNotContain(subjectToken)
        .doesNotContain(accessToken)
        .doesNotContain(Federation.SUBJECT)
        .doesNotContain("sk-upstream-metrics")
        .doesNotContain(LiveServer.ADMIN_KEY);
  }

  @Test
  void dashboardWhenItsQueriesAreReadThenEveryMetricNamedIsInTheScrape() throws Exception {
    String scrape = scrape(server.url());
    JsonNode dashboard = LiveServer.JSON.readTree(Files.readString(DASHBOARD));
    Set<String> queried = new TreeSet<>();
    for (JsonNode expr : dashboard.findValues("expr")) {
      Matcher m = Pattern.compile("\\b((?:wif|jvm|process)_[a-z_]+)").matcher(expr.asText());
      while (m.find()) {
        queried.add(m.group(1));
      }
    }

    assertThat(queried).hasSizeGreaterThan(10);
    for (String name : queried) {
      assertThat(scrape).as("the scrape has %s", name).containsPattern("(?m)^" + name + "[ {]");
    }
  }

  @Test
  void metricsWhenMetricsAddressSetThenServedThereAndNotOnTheMainPort() throws Exception {
    Files.createDirectories(dir.resolve("separate"));
    try (LiveServer separate =
        LiveServer.start(
            LiveServer.config(dir.resolve("separate"))
                .withMetricsAddress(new MetricsAddress("127.0.0.1", 0)))) {
      int metricsPort = separate.metricsPort().orElseThrow();

      assertThat(scrape("http://127.0.0.1:" + metricsPort)).contains("wif_build_info");
      assertThat(separate.get("/metrics", Optional.empty()).status()).isEqualTo(404);
      assertThat(separate.get("/healthz", Optional.empty()).status()).isEqualTo(200);
    }
  }

  static String scrape(String baseUrl) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    return response.body();
  }

  /** The value of the sample named exactly {@code series} (name and labels as written). */
  static double value(String scrape, String series) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    throw new AssertionError("no sample " + series + " in the scrape");
  }
}
