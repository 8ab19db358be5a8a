package dev.openwif.server.sts;

import io.helidon.webserver.http.HttpRouting;
import java.util.Objects;

/**
 * The security token service's routes: {@code POST /oauth/token} (exactly at the server root, never
 * under {@code /v1}), {@code GET /.well-known/openid-configuration} and the JWKS. The endpoints are
 * built by the composition root. Thread-safe.
 */
public final class StsRoutes {
  private final TokenEndpoint token;
  private final DiscoveryEndpoints discovery;

  public StsRoutes(TokenEndpoint token, DiscoveryEndpoints discovery) {
    this.token = Objects.requireNonNull(token, "token");
    this.discovery = Objects.requireNonNull(discovery, "discovery");
  }

  public void register(HttpRouting.Builder routing) {
    routing.post(DiscoveryEndpoints.TOKEN_PATH, token);
    routing.get(DiscoveryEndpoints.DISCOVERY_PATH, discovery::configuration);
    routing.get(DiscoveryEndpoints.JWKS_PATH, discovery::jwks);
  }
}
