package dev.openwif.server.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.directory.FederationDirectory;
import dev.openwif.federation.IdGenerator;
import dev.openwif.server.http.OpenAiErrorWriter;
import dev.openwif.server.http.RouteTable;
import dev.openwif.token.AccessTokenVerifier;
import java.time.Clock;

/**
 * The OpenAI-compatible API under {@code /v1} (first cut): every route behind {@link BearerGuard}
 * with the scope {@link RouteScopes} documents. Register after the admin API so {@code
 * /v1/organization} stays with it. The gateway reads the federation configuration only through the
 * {@link FederationDirectory}, never the store, and never runs the token exchange. Thread-safe.
 */
public final class GatewayRoutes {
  private final BearerGuard guard;
  private final ModelsEndpoint models;
  private final ResponsesEndpoint responses;

  /**
   * @param verifier verifies the access tokens this server minted (issuer and audience set)
   */
  public GatewayRoutes(
      ObjectMapper json,
      OpenAiErrorWriter errors,
      AccessTokenVerifier verifier,
      FederationDirectory directory,
      IdGenerator ids,
      Clock clock) {
    this.guard = new BearerGuard(verifier, directory, errors);
    this.models = new ModelsEndpoint(json, errors);
    this.responses = new ResponsesEndpoint(json, errors, new DemoModel(), ids, clock);
  }

  public void register(RouteTable routes) {
    routes.get("/v1/models", guard.requiring(RouteScopes.MODEL_READ, models::list));
    routes.get("/v1/models/{id}", guard.requiring(RouteScopes.MODEL_READ, models::retrieve));
    routes.post("/v1/responses", guard.requiring(RouteScopes.MODEL_REQUEST, responses::create));
  }
}
