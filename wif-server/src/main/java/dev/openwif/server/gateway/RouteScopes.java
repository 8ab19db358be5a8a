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
 *   <tr><td>{@code POST /v1/chat/completions}</td><td>{@code api.model.request} (upstream
 *   only)</td></tr>
 *   <tr><td>any other {@code /v1} path (upstream only)</td><td>none: deny by default, see
 *   below</td></tr>
 * </table>
 *
 * {@link GatewayRoutes} registers each route with its scope from this class. With an upstream
 * ({@code wif serve --upstream URL}), every other {@code /v1} path (files, vector stores,
 * embeddings, ...) has no scope here yet, so it is proxied only for a token whose rule currently
 * grants {@code service_account_default} permissions; a {@code restricted} token gets 403 {@code
 * insufficient_scope} there even if it holds, say, {@code api.files.read}. Mapping those routes to
 * the catalogue's scopes is the next step. Thread-safe (constants only).
 */
final class RouteScopes {
  static final String MODEL_READ = "api.model.read";
  static final String MODEL_REQUEST = "api.model.request";

  private RouteScopes() {}
}
