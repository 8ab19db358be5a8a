package dev.openwif.server.gateway;

import dev.openwif.federation.ScopeCatalogue;

/**
 * The scope every {@code /v1} route needs (a token's scopes come from its federation rule's
 * permissions, see {@link ScopeCatalogue}). A valid token without the scope gets 403 {@code
 * insufficient_scope}; never 401, which would make the SDKs re-exchange for nothing.
 *
 * <table>
 *   <caption>Route to scope</caption>
 *   <tr><th>route</th><th>scope</th></tr>
 *   <tr><td>{@code GET /v1/models}</td><td>{@code api.model.read}</td></tr>
 *   <tr><td>{@code GET /v1/models/{id}}</td><td>{@code api.model.read}</td></tr>
 *   <tr><td>{@code POST /v1/responses}</td><td>{@code api.model.request}</td></tr>
 * </table>
 *
 * {@link GatewayRoutes} registers each route with its scope from this class. Routes not served here
 * (for example vector stores, files) are not part of the first cut; their scopes are already in the
 * catalogue so rules can be written for them. Thread-safe (constants only).
 */
final class RouteScopes {
  static final String MODEL_READ = "api.model.read";
  static final String MODEL_REQUEST = "api.model.request";

  private RouteScopes() {}
}
