package dev.openwif.server.sts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.exchange.ExchangeRequest;
import dev.openwif.federation.ScopeCatalogue;
import dev.openwif.server.http.PublicUrl;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Publishes what a resource server needs to verify OpenWIF's access tokens on its own: one metadata
 * document (OpenID Connect Discovery 1.0 §3 / RFC 8414 §2: {@code issuer} = the public URL, {@code
 * jwks_uri}, {@code token_endpoint}, supported grant types, and RFC 8414's {@code
 * introspection_endpoint} with its client authentication methods) and the JWKS at {@link
 * #JWKS_PATH} (RFC 7517 §5) with the public halves of every persisted signing key, so tokens signed
 * before a key rotation or a restart keep verifying.
 *
 * <p>The document is served where both specifications look for it ({@link #configurationPaths}):
 * OpenID Connect Discovery appends {@code /.well-known/openid-configuration} to the issuer, RFC
 * 8414 §3.1 puts {@code /.well-known/oauth-authorization-server} between the issuer's origin and
 * its path. With a public URL {@code https://gw.example.com/wif} (a proxy in front removing {@code
 * /wif}), the first arrives as {@code /.well-known/openid-configuration}, the second as {@code
 * /.well-known/oauth-authorization-server/wif} when the proxy forwards it unchanged; see {@link
 * PublicUrl}. Every URL the document names starts with the public URL. Thread-safe.
 */
public final class DiscoveryEndpoints {
  static final String DISCOVERY_PATH = "/.well-known/openid-configuration";

  /** RFC 8414 §3's well-known URI suffix: the same document, where OAuth clients look for it. */
  static final String AUTHORIZATION_SERVER = "oauth-authorization-server";

  static final String OPENID_CONFIGURATION = "openid-configuration";

  static final String JWKS_PATH = "/.well-known/jwks.json";
  static final String TOKEN_PATH = "/oauth/token";

  private final ObjectMapper json;
  private final String issuer;
  private final PublicUrl publicUrl;
  private final Supplier<String> publicJwksJson;

  /**
   * @param issuer the server's public URL without trailing slash
   * @param publicJwksJson the JWK Set of the public signing keys, as JSON
   * @throws IllegalArgumentException when {@code issuer} is no usable public URL ({@link
   *     PublicUrl#parse})
   */
  public DiscoveryEndpoints(ObjectMapper json, String issuer, Supplier<String> publicJwksJson) {
    this.json = Objects.requireNonNull(json, "json");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.publicUrl = PublicUrl.parse(issuer);
    this.publicJwksJson = Objects.requireNonNull(publicJwksJson, "publicJwksJson");
  }

  /**
   * The request paths the metadata document is answered at, without duplicates: {@code
   * /.well-known/openid-configuration} (OpenID Connect Discovery, the issuer's path removed by the
   * proxy), then RFC 8414's {@code /.well-known/oauth-authorization-server} followed by the public
   * URL's path, and when that path is not empty also {@code /.well-known/openid-configuration}
   * followed by it (the same insertion, where some OpenID clients look) and {@code
   * /.well-known/oauth-authorization-server} alone.
   */
  List<String> configurationPaths() {
    Set<String> paths = new LinkedHashSet<>();
    paths.add(DISCOVERY_PATH);
    paths.add(publicUrl.wellKnownPaths(AUTHORIZATION_SERVER, "").get(0));
    paths.addAll(publicUrl.wellKnownPaths(OPENID_CONFIGURATION, ""));
    paths.addAll(publicUrl.wellKnownPaths(AUTHORIZATION_SERVER, ""));
    return List.copyOf(paths);
  }

  void configuration(ServerRequest req, ServerResponse res) {
    String base = issuer;
    ObjectNode doc = json.createObjectNode();
    doc.put("issuer", base);
    doc.put("jwks_uri", base + JWKS_PATH);
    doc.put("token_endpoint", base + TOKEN_PATH);
    doc.putArray("grant_types_supported").add(ExchangeRequest.TOKEN_EXCHANGE_GRANT);
    doc.putArray("token_endpoint_auth_methods_supported").add("none");
    doc.put("introspection_endpoint", base + IntrospectionEndpoint.PATH);
    doc.putArray("introspection_endpoint_auth_methods_supported")
        .add(IntrospectionRequestParser.BASIC)
        .add(IntrospectionRequestParser.POST);
    doc.putArray("response_types_supported").add("token");
    doc.putArray("subject_types_supported").add("public");
    doc.putArray("id_token_signing_alg_values_supported").add("ES256");
    var scopes = doc.putArray("scopes_supported");
    ScopeCatalogue.ALL.stream().sorted().forEach(scopes::add);
    doc.putArray("subject_token_types_supported")
        .add(ExchangeRequest.JWT_TOKEN_TYPE)
        .add(ExchangeRequest.ID_TOKEN_TYPE);
    try {
      send(res, json.writeValueAsBytes(doc));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise discovery document", e);
    }
  }

  void jwks(ServerRequest req, ServerResponse res) {
    send(res, publicJwksJson.get().getBytes(StandardCharsets.UTF_8));
  }

  private static void send(ServerResponse res, byte[] body) {
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
    res.send(body);
  }
}
