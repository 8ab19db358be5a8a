package dev.openwif.server.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.directory.FederationDirectory;
import dev.openwif.federation.IdGenerator;
import dev.openwif.server.http.OpenAiErrorWriter;
import dev.openwif.server.http.RouteTable;
import dev.openwif.token.AccessTokenVerifier;
import dev.openwif.token.VerifiedAccessToken;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The OpenAI-compatible API under {@code /v1}: every route behind {@link BearerGuard}. With no
 * upstream, the built-in demo model answers the routes {@link RouteScopes} lists. With an {@link
 * UpstreamProxy}, the routes {@link RouteScopes} lists are proxied with their scope, and every
 * other {@code /v1} path is proxied for tokens with the service account's default permissions only
 * (deny by default for restricted tokens). Register after the admin API so {@code /v1/organization}
 * stays with it. The gateway reads the federation configuration only through the {@link
 * FederationDirectory}, never the store, and never runs the token exchange. Proxied calls pass
 * through the {@link GatewayMeter}: the service account's rate limits, usage counting and the
 * access log. Thread-safe.
 */
public final class GatewayRoutes {
  private final BearerGuard guard;
  private final ModelsEndpoint models;
  private final ResponsesEndpoint responses;
  private final Optional<UpstreamProxy> upstream;
  private final OpenAiErrorWriter errors;
  private final GatewayMeter meter;

  /**
   * @param verifier verifies the access tokens this server minted (issuer and audience set)
   * @param upstream where to proxy {@code /v1}; empty for the built-in demo model
   */
  public GatewayRoutes(
      ObjectMapper json,
      OpenAiErrorWriter errors,
      AccessTokenVerifier verifier,
      FederationDirectory directory,
      IdGenerator ids,
      Clock clock,
      Optional<UpstreamProxy> upstream,
      GatewayMeter meter) {
    this.upstream = Objects.requireNonNull(upstream, "upstream");
    this.meter = Objects.requireNonNull(meter, "meter");
    this.errors = errors;
    this.guard = new BearerGuard(verifier, directory, errors);
    this.models = new ModelsEndpoint(json, errors);
    this.responses = new ResponsesEndpoint(json, errors, new DemoModel(), ids, clock);
  }

  public void register(RouteTable routes) {
    if (upstream.isPresent()) {
      registerProxy(routes, upstream.get());
      return;
    }
    routes.get("/v1/models", guard.requiring(RouteScopes.MODEL_READ, models::list));
    routes.get("/v1/models/{id}", guard.requiring(RouteScopes.MODEL_READ, models::retrieve));
    routes.post("/v1/responses", guard.requiring(RouteScopes.MODEL_REQUEST, responses::create));
  }

  private void registerProxy(RouteTable routes, UpstreamProxy proxy) {
    Handler forward = (req, res) -> forwardUnlessAdmin(proxy, req, res);
    routes.get("/v1/models", guard.requiring(RouteScopes.MODEL_READ, forward));
    routes.get("/v1/models/{id}", guard.requiring(RouteScopes.MODEL_READ, forward));
    routes.post("/v1/responses", guard.requiring(RouteScopes.MODEL_REQUEST, forward));
    routes.post("/v1/chat/completions", guard.requiring(RouteScopes.MODEL_REQUEST, forward));
    routes.fallback("/v1/*", guard.requiringUnrestricted(forward));
  }

  /**
   * The admin API owns {@code /v1/organization} (registered first, it answers there itself); this
   * guard keeps it so should the order change, and refuses dot segments, which an upstream could
   * resolve outside its base path.
   */
  private void forwardUnlessAdmin(UpstreamProxy proxy, ServerRequest req, ServerResponse res) {
    String path = req.path().path();
    if (path.equals("/v1/organization")
        || path.startsWith("/v1/organization/")
        || path.contains("/./")
        || path.contains("/../")
        || path.endsWith("/.")
        || path.endsWith("/..")) {
      errors.notFound(res, "Invalid URL (" + req.prologue().method().text() + " " + path + ").");
      return;
    }
    Optional<VerifiedAccessToken> token = req.context().get(VerifiedAccessToken.class);
    if (token.isEmpty()) { // BearerGuard registers it before every route it lets through
      errors.internalError(res);
      return;
    }
    Optional<MeteredCall> call = meter.begin(token.get(), req, res, errors);
    if (call.isEmpty()) {
      return; // rate limited: the 429 is written
    }
    call.get().rateLimitHeaders().forEach(res::header); // on the proxy's own errors too
    try {
      proxy.forward(req, res, call.get());
    } finally {
      call.get().finish(res.status().code());
    }
  }
}
