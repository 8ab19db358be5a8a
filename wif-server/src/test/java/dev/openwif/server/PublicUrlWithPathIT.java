package dev.openwif.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
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
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --public-url http://127.0.0.1:PORT/wif}: the server behind a proxy that removes {@code
 * /wif} ({@link PathPrefixProxy}, set up as docs/operations.md tells). A client given only the
 * API's URL finds its way by RFC 9728 and RFC 8414 (the well-known segment between the host and
 * {@code /wif}) and by OpenID Connect Discovery (appended to the issuer), every URL the documents
 * name works through the proxy, and the token it gets there verifies with the published keys.
 */
class PublicUrlWithPathIT {
  private static final Pattern RESOURCE_METADATA =
      Pattern.compile("resource_metadata=\"([^\"]+)\"");

  @TempDir static Path dir;
  static PathPrefixProxy proxy;
  static LiveServer server;
  static TestIssuer issuer;
  static Federation federation;
  static String origin;
  static String publicUrl;

  final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  @BeforeAll
  static void start() {
    proxy = new PathPrefixProxy("/wif");
    origin = proxy.origin();
    publicUrl = origin + "/wif";
    server = LiveServer.start(LiveServer.config(dir).withPublicUrl(publicUrl + "/"));
    proxy.forwardTo(server.port());
    issuer = TestIssuer.start();
    federation = Federation.uploaded(server, issuer, Federation.allScopes());
  }

  @AfterAll
  static void stop() {
    server.close();
    issuer.close();
    proxy.close();
  }

  private HttpResponse<String> get(String url, Optional<String> bearer) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
    bearer.ifPresent(token -> request.header("Authorization", "Bearer " + token));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(String url) throws Exception {
    HttpResponse<String> response = get(url, Optional.empty());
    assertThat(response.statusCode()).as("GET " + url).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return LiveServer.JSON.readTree(response.body());
  }

  @ParameterizedTest
  @EnumSource(PathPrefixProxy.WellKnown.class)
  void clientGivenOnlyTheApiUrlWhenItFollowsTheRfcsThroughTheProxyThenEveryUrlIsRight(
      PathPrefixProxy.WellKnown wellKnown) throws Exception {
    proxy.wellKnown(wellKnown);

    // RFC 9728: the 401 names the API's metadata, the well-known segment before /wif/v1
    HttpResponse<String> anonymous = get(publicUrl + "/v1/models", Optional.empty());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    Matcher pointer =
        RESOURCE_METADATA.matcher(anonymous.headers().firstValue("WWW-Authenticate").orElse(""));
    assertThat(pointer.find()).as(anonymous.headers().map().toString()).isTrue();
    assertThat(pointer.group(1)).isEqualTo(origin + "/.well-known/oauth-protected-resource/wif/v1");
    JsonNode api = json(pointer.group(1));
    assertThat(api.get("resource").asText()).isEqualTo(publicUrl + "/v1");
    assertThat(api.get("authorization_servers").get(0).asText()).isEqualTo(publicUrl);
    JsonNode root = json(origin + "/.well-known/oauth-protected-resource/wif");
    assertThat(root.get("resource").asText()).isEqualTo(publicUrl);

    // RFC 8414 §3.1 (inserted), OpenID Connect Discovery (appended), and the insertion for it
    JsonNode authorization = json(origin + "/.well-known/oauth-authorization-server/wif");
    assertThat(authorization.get("issuer").asText()).isEqualTo(publicUrl);
    assertThat(authorization.get("token_endpoint").asText()).isEqualTo(publicUrl + "/oauth/token");
    assertThat(authorization.get("jwks_uri").asText())
        .isEqualTo(publicUrl + "/.well-known/jwks.json");
    assertThat(authorization.get("introspection_endpoint").asText())
        .isEqualTo(publicUrl + "/oauth/introspect");
    assertThat(json(publicUrl + "/.well-known/openid-configuration")).isEqualTo(authorization);
    assertThat(json(origin + "/.well-known/openid-configuration/wif")).isEqualTo(authorization);

    // the token endpoint and the JWKS it names, through the proxy
    HttpResponse<String> exchanged =
        http.send(
            HttpRequest.newBuilder(URI.create(authorization.get("token_endpoint").asText()))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        LiveServer.JSON.writeValueAsString(
                            federation.exchangeParams(federation.subjectToken(Clock.systemUTC())))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
    String token = LiveServer.JSON.readTree(exchanged.body()).get("access_token").asText();
    SignedJWT jwt = SignedJWT.parse(token);
    JWKSet keys =
        JWKSet.parse(get(authorization.get("jwks_uri").asText(), Optional.empty()).body());
    ECKey key = (ECKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
    assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
    assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(publicUrl);
    assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(api.get("resource").asText());
    assertThat(get(publicUrl + "/v1/models", Optional.of(token)).statusCode()).isEqualTo(200);
  }

  @Test
  void serverWhenAskedDirectlyThenEachDocumentAtItsRfcPathAndWithoutThePublicPath()
      throws Exception {
    String direct = server.address();

    for (String path :
        List.of(
            "/.well-known/oauth-protected-resource/wif/v1",
            "/.well-known/oauth-protected-resource/v1")) {
      assertThat(json(direct + path).get("resource").asText())
          .as(path)
          .isEqualTo(publicUrl + "/v1");
    }
    for (String path :
        List.of(
            "/.well-known/oauth-protected-resource/wif", "/.well-known/oauth-protected-resource")) {
      assertThat(json(direct + path).get("resource").asText()).as(path).isEqualTo(publicUrl);
    }
    for (String path :
        List.of(
            "/.well-known/oauth-authorization-server/wif",
            "/.well-known/oauth-authorization-server",
            "/.well-known/openid-configuration",
            "/.well-known/openid-configuration/wif")) {
      assertThat(json(direct + path).get("issuer").asText()).as(path).isEqualTo(publicUrl);
    }
    for (String path :
        List.of(
            "/.well-known/oauth-authorization-server/other",
            "/.well-known/oauth-protected-resource/other/v1",
            "/wif/oauth/token")) {
      assertThat(get(direct + path, Optional.empty()).statusCode()).as(path).isEqualTo(404);
    }
  }
}
