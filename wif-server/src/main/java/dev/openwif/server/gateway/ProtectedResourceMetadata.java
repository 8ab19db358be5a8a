package dev.openwif.server.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.federation.ScopeCatalogue;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URI;
import java.util.Objects;

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) for the {@code /v1} API, so that a client given
 * only the API's URL can find where to exchange its token. The API's resource identifier is the
 * access tokens' audience, {@code ISSUER/v1}; its metadata is at {@code
 * ISSUER/.well-known/oauth-protected-resource/v1} (RFC 9728 §3.1 inserts the well-known segment
 * before the resource's path) and every {@code WWW-Authenticate} of {@code /v1} names that URL in
 * {@code resource_metadata} (§5.1). {@code ISSUER/.well-known/oauth-protected-resource} describes
 * the server's root the same way (its {@code resource} is the issuer, as §3.3 requires). Each
 * document names this server as the authorization server, the scopes it grants and the one bearer
 * method it accepts (the {@code Authorization} header). Thread-safe.
 */
public final class ProtectedResourceMetadata {
  /** RFC 9728 §3's well-known URI suffix. */
  public static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

  private final ObjectMapper json;
  private final String issuer;
  private final String resource;

  /**
   * @param issuer the server's public URL (the authorization server's issuer), no trailing slash
   * @param resource the {@code /v1} API's identifier, {@code issuer + "/v1"}
   */
  public ProtectedResourceMetadata(ObjectMapper json, String issuer, String resource) {
    this.json = Objects.requireNonNull(json, "json");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.resource = Objects.requireNonNull(resource, "resource");
  }

  /**
   * Where the metadata of {@code resource} is, by RFC 9728 §3.1: its scheme and authority, the
   * well-known suffix, then its path ({@code https://h/v1} → {@code
   * https://h/.well-known/oauth-protected-resource/v1}).
   */
  public static String metadataUrl(String resource) {
    URI uri = URI.create(resource);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (path.equals("/")) {
      path = "";
    }
    return uri.getScheme() + "://" + uri.getRawAuthority() + WELL_KNOWN + path;
  }

  /** The path this server answers the API's metadata at: the well-known suffix, then its path. */
  String apiPath() {
    return URI.create(metadataUrl(resource)).getRawPath();
  }

  /** {@code GET /.well-known/oauth-protected-resource/v1}: the {@code /v1} API's metadata. */
  void api(ServerRequest req, ServerResponse res) {
    send(res, document(resource));
  }

  /** {@code GET /.well-known/oauth-protected-resource}: the root's metadata. */
  void root(ServerRequest req, ServerResponse res) {
    send(res, document(issuer));
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

  private void send(ServerResponse res, ObjectNode doc) {
    byte[] body;
    try {
      body = json.writeValueAsBytes(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise protected resource metadata", e);
    }
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
    res.send(body);
  }
}
