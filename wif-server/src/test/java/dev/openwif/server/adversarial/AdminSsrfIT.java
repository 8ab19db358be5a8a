package dev.openwif.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.server.sts.LiveServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SSRF guard at the admin API, outside {@code --dev}: an issuer or discovery URL that would
 * make the server fetch from loopback, private, link-local (cloud metadata), carrier-grade NAT,
 * unspecified or IPv6 local addresses, or over plain http, is refused when the provider is created
 * or updated, with a 400 naming the field and saying why. Fetch-time checks (redirects, {@code
 * jwks_uri} inside discovery documents, names resolving to such addresses) are covered by {@code
 * HttpJwksFetcherIT} and {@code OutboundUrlGuardTest}.
 */
@ExtendWith(AdversarialCases.class)
class AdminSsrfIT {
  @TempDir static Path dir;
  static dev.openwif.federation.FederationStore store;
  static LiveServer server;
  static String existingProvider;

  @BeforeAll
  static void start() {
    store = dev.openwif.store.Stores.open(dir.resolve("wif.db").toString());
    server =
        LiveServer.start(LiveServer.config(dir).withDev(false), store, java.time.Clock.systemUTC());
    existingProvider =
        server.createProvider(
            "public-" + System.nanoTime(),
            "https://accounts.google.com",
            "aud",
            Map.of("type", "discovery"),
            java.util.List.of());
  }

  @AfterAll
  static void stop() {
    server.close();
    store.close();
  }

  static Stream<Arguments> forbidden() {
    return Stream.of(
        Arguments.of("private 10/8", "https://10.0.0.1", "private address"),
        Arguments.of("private 172.16/12", "https://172.16.5.4", "private address"),
        Arguments.of("private 192.168/16", "https://192.168.1.1", "private address"),
        Arguments.of("cloud metadata 169.254.169.254", "https://169.254.169.254", "link-local"),
        Arguments.of("link-local IPv6 fe80::1", "https://[fe80::1]", "link-local"),
        Arguments.of("unique local IPv6 fd00::1", "https://[fd00::1]", "unique local"),
        Arguments.of(
            "IPv4-mapped metadata ::ffff:169.254.169.254",
            "https://[::ffff:169.254.169.254]",
            "link-local"),
        Arguments.of("carrier-grade NAT 100.64.0.1", "https://100.64.0.1", "carrier-grade NAT"),
        Arguments.of("unspecified 0.0.0.0", "https://0.0.0.0", "unspecified"),
        Arguments.of("loopback 127.0.0.1", "https://127.0.0.1", "loopback"),
        Arguments.of("loopback 127.3.4.5", "https://127.3.4.5", "loopback"),
        Arguments.of("loopback ::1", "https://[::1]", "loopback"),
        Arguments.of("plain http", "http://accounts.google.com", "https"));
  }

  @ParameterizedTest(name = "issuer {0}")
  @MethodSource("forbidden")
  void createProviderWhenIssuerForbiddenThen400SayingWhy(String name, String url, String why) {
    assertRefused(
        server.admin("POST", "/workload_identity_providers", provider(url, null)), "issuer", why);
  }

  @ParameterizedTest(name = "discovery_url {0}")
  @MethodSource("forbidden")
  void createProviderWhenDiscoveryUrlForbiddenThen400SayingWhy(
      String name, String url, String why) {
    assertRefused(
        server.admin(
            "POST", "/workload_identity_providers", provider("https://issuer.example.com", url)),
        "verification.discovery_url",
        why);
  }

  @ParameterizedTest(name = "update issuer {0}")
  @MethodSource("forbidden")
  void updateProviderWhenIssuerForbiddenThen400SayingWhy(String name, String url, String why) {
    assertRefused(
        server.admin(
            "POST", "/workload_identity_providers/" + existingProvider, Map.of("issuer", url)),
        "issuer",
        why);
  }

  @Test
  void createProviderWhenPublicNameThatDoesNotResolveHereThenAccepted() {
    LiveServer.Reply reply =
        server.admin(
            "POST", "/workload_identity_providers", provider("https://issuer.example.com", null));

    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
  }

  private static ObjectNode provider(String issuer, String discoveryUrl) {
    ObjectNode body = LiveServer.JSON.createObjectNode();
    body.put("name", "p-" + System.nanoTime());
    body.put("issuer", issuer);
    body.put("audience", "aud");
    ObjectNode verification = body.putObject("verification");
    verification.put("type", "discovery");
    if (discoveryUrl != null) {
      verification.put("discovery_url", discoveryUrl + "/.well-known/openid-configuration");
    }
    return body;
  }

  private static void assertRefused(LiveServer.Reply reply, String param, String why) {
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(400);
    assertThat(reply.body().path("error").path("param").asText()).isEqualTo(param);
    assertThat(reply.body().path("error").path("message").asText()).containsIgnoringCase(why);
  }
}
