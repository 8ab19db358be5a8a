package dev.openwif.server.sts;

import dev.openwif.server.http.RouteTable;
import java.util.Objects;

/**
 * The security token service's routes: {@code POST /oauth/token} (exactly at the server root, never
 * under {@code /v1}), {@code POST /oauth/introspect}, {@code GET /.well-known/openid-configuration}
 * and its RFC 8414 twin {@code GET /.well-known/oauth-authorization-server} (with the public URL's
 * path after it when it has one: {@link DiscoveryEndpoints#configurationPaths}) and the JWKS. The
 * endpoints are built by the composition root. Thread-safe.
 */
public final class StsRoutes {
  private final TokenEndpoint token;
  private final DiscoveryEndpoints discovery;
  private final IntrospectionEndpoint introspection;

  public StsRoutes(
      TokenEndpoint token, DiscoveryEndpoints discovery, IntrospectionEndpoint introspection) {
    this.token = Objects.requireNonNull(token, "token");
    this.discovery = Objects.requireNonNull(discovery, "discovery");
    this.introspection = Objects.requireNonNull(introspection, "introspection");
  }

  public void register(RouteTable routes) {
    routes.post(DiscoveryEndpoints.TOKEN_PATH, token);
    routes.post(IntrospectionEndpoint.PATH, introspection);
    for (String path : discovery.configurationPaths()) {
      routes.get(path, discovery::configuration);
    }
    routes.get(DiscoveryEndpoints.JWKS_PATH, discovery::jwks);
  }
}
