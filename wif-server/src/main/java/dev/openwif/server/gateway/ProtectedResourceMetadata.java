package dev.openwif.server.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.federation.ScopeCatalogue;
import dev.openwif.server.http.PublicUrl;
import dev.openwif.server.http.RouteTable;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) for the {@code /v1} API, so that a client given
 * only the API's URL can find where to exchange its token. The API's resource identifier is the
 * access tokens' audience, {@code ISSUER/v1}; RFC 9728 §3.1 puts its metadata at the issuer's
 * origin, then {@code /.well-known/oauth-protected-resource}, then the identifier's path ({@code
 * https://h/.well-known/oauth-protected-resource/v1}, or {@code
 * https://h/.well-known/oauth-protected-resource/wif/v1} for the issuer {@code https://h/wif}), and
 * every {@code WWW-Authenticate} of {@code /v1} names that URL in {@code resource_metadata} (§5.1).
 * The server's root, the issuer itself, is described the same way at {@code
 * https://h/.well-known/oauth-protected-resource} (or {@code …/oauth-protected-resource/wif}); its
 * {@code resource} is the issuer, as §3.3 requires. Each document names this server as the
 * authorization server, the scopes it grants and the one bearer method it accepts (the {@code
 * Authorization} header). With a public URL that has a path, each document is also answered with
 * that path left out ({@link PublicUrl#wellKnownPaths}), whichever way the proxy in front forwards
 * it. Thread-safe.
 */
public final class ProtectedResourceMetadata {
  /** RFC 9728 §3's well-known URI suffix. */
  static final String NAME = "oauth-protected-resource";

  private final ObjectMapper json;
  private final String issuer;
  private final String resource;
  private final PublicUrl publicUrl;
  private final String resourcePath;

  /**
   * @param issuer the server's public URL (the authorization server's issuer), no trailing slash
   * @param resource the {@code /v1} API's identifier: {@code issuer} followed by a path
   * @throws IllegalArgumentException when {@code issuer} is no usable public URL ({@link
   *     PublicUrl#parse}) or {@code resource} is not under it
   */
  public ProtectedResourceMetadata(ObjectMapper json, String issuer, String resource) {
    this.json = Objects.requireNonNull(json, "json");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.resource = Objects.requireNonNull(resource, "resource");
    this.publicUrl = PublicUrl.parse(issuer);
    if (!resource.startsWith(issuer + "/")) {
      throw new IllegalArgumentException(
          "the resource " + resource + " is not under the issuer " + issuer);
    }
    this.resourcePath = resource.substring(issuer.length());
  }

  /** Where the {@code /v1} API's metadata is (RFC 9728 §3.1): what 401s name. */
  String apiMetadataUrl() {
    return publicUrl.wellKnownUrl(NAME, resourcePath);
  }

  /**
   * Each request path a document is answered at, with the identifier it describes: first the paths
   * of the URLs the documents are at (the API's, then the root's), then the same without the public
   * URL's path. A path two documents would share (a public URL whose path is {@code /v1}) keeps the
   * first, the document at its own URL.
   */
  Map<String, String> identifiersByPath() {
    List<String> api = publicUrl.wellKnownPaths(NAME, resourcePath);
    List<String> root = publicUrl.wellKnownPaths(NAME, "");
    Map<String, String> identifiers = new LinkedHashMap<>();
    identifiers.putIfAbsent(api.get(0), resource);
    identifiers.putIfAbsent(root.get(0), issuer);
    api.forEach(path -> identifiers.putIfAbsent(path, resource));
    root.forEach(path -> identifiers.putIfAbsent(path, issuer));
    return identifiers;
  }

  /** Registers {@code GET} of each document at its paths ({@link #identifiersByPath}). */
  void register(RouteTable routes) {
    identifiersByPath()
        .forEach(
            (path, identifier) -> {
              byte[] body = serialised(document(identifier));
              routes.get(path, (req, res) -> send(res, body));
            });
  }

  ObjectNode document(String identifier) {
    ObjectNode doc = json.createObjectNode();
    doc.put("resource", identifier);
    doc.putArray("authorization_servers").add(issuer);
    var scopes = doc.putArray("scopes_supported");
    ScopeCatalogue.ALL.stream().sorted().forEach(scopes::add);
    doc.putArray("bearer_methods_supported").add("header");
    doc.put("resource_name", "OpenWIF OpenAI-compatible API");
    return doc;
  }

  private byte[] serialised(ObjectNode doc) {
    try {
      return json.writeValueAsBytes(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise protected resource metadata", e);
    }
  }

  private static void send(ServerResponse res, byte[] body) {
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
    res.send(body);
  }
}
