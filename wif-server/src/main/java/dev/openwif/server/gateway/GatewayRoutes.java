package dev.openwif.server.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.directory.FederationDirectory;
import dev.openwif.federation.IdGenerator;
import dev.openwif.server.http.OpenAiErrorWriter;
import dev.openwif.server.http.RouteTable;
import dev.openwif.server.http.TrustedProxies;
import dev.openwif.token.AccessTokenVerifier;
import dev.openwif.token.VerifiedAccessToken;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The OpenAI-compatible API under {@code /v1}: every route behind {@link BearerGuard}, which
 * authorizes it with the scope {@link RouteScopes} maps it to. With no upstream, the built-in demo
 * model answers {@code GET /v1/models}, {@code GET /v1/models/{id}} and {@code POST /v1/responses}.
 * With an {@link UpstreamProxy}, every {@code /v1} request is proxied once authorized: a route the
 * table maps needs its scope, any other is open to tokens with the service account's default
 * permissions only (deny by default for restricted tokens). Register after the admin API so {@code
 * /v1/organization} stays with it. The gateway reads the federation configuration only through the
 * {@link FederationDirectory}, never the store, and never runs the token exchange. Proxied calls
 * pass through the {@link GatewayMeter}: the service account's rate limits, usage counting and the
 * access log. Thread-safe.
 */
public final class GatewayRoutes {
  private final BearerGuard guard;
  private final ModelsEndpoint models;
  private final ResponsesEndpoint responses;
  private final Optional<UpstreamProxy> upstream;
  private final OpenAiErrorWriter errors;
  private final GatewayMeter meter;
  private final ProtectedResourceMetadata metadata;

  /**
   * @param verifier verifies the access tokens this server minted (issuer and audience set)
   * @param upstream where to proxy {@code /v1}; empty for the built-in demo model
   * @param bearerFailures the budget of failed token verifications per client address
   * @param proxies tells the client address of a request ({@code --trusted-proxy})
   */
  public GatewayRoutes(
      ObjectMapper json,
      OpenAiErrorWriter errors,
      AccessTokenVerifier verifier,
      FederationDirectory directory,
      IdGenerator ids,
      Clock clock,
      Optional<UpstreamProxy> upstream,
      GatewayMeter meter,
      BearerFailureLimit bearerFailures,
      TrustedProxies proxies) {
    this.upstream = Objects.requireNonNull(upstream, "upstream");
    this.meter = Objects.requireNonNull(meter, "meter");
    this.errors = errors;
    this.metadata = new ProtectedResourceMetadata(json, verifier.issuer(), verifier.audience());
    this.guard =
        new BearerGuard(
            verifier, directory, errors, bearerFailures, proxies, metadata.apiMetadataUrl());
    this.models = new ModelsEndpoint(json, errors);
    this.responses = new ResponsesEndpoint(json, errors, new DemoModel(), ids, clock);
  }

  public void register(RouteTable routes) {
    metadata.register(routes);
    if (upstream.isPresent()) {
      registerProxy(routes, upstream.get());
      return;
    }
    routes.get(
        "/v1/models",
        guard.requiring(
            scope("GET", "/v1/models"), (req, res, token, scope) -> models.list(req, res)));
    routes.get(
        "/v1/models/{id}",
        guard.requiring(
            scope("GET", "/v1/models/{id}"),
            (req, res, token, scope) -> models.retrieve(req, res)));
    routes.post(
        "/v1/responses",
        guard.requiring(
            scope("POST", "/v1/responses"),
            (req, res, token, scope) -> responses.create(req, res)));
  }

  /**
   * Every {@code /v1} request (after the admin API's) goes upstream, behind the scope {@link
   * RouteScopes} gives its method and raw path.
   */
  private void registerProxy(RouteTable routes, UpstreamProxy proxy) {
    routes.fallback(
        "/v1/*",
        guard.requiringScopeFrom(
            RouteScopes.TABLE,
            (req, res, token, scope) -> forwardUnlessAdmin(proxy, req, res, token, scope)));
  }

  /** The scope of a demo route, from the same table the proxy uses; a route it lacks is a bug. */
  private static String scope(String method, String pattern) {
    return RouteScopes.TABLE
        .scopeOfPattern(method, pattern)
        .orElseThrow(() -> new IllegalStateException("no scope for " + method + " " + pattern));
  }

  /**
   * The admin API owns {@code /v1/organization} (registered first, it answers there itself); this
   * guard keeps it so should the order change, and refuses dot segments, which an upstream could
   * resolve outside its base path.
   */
  private void forwardUnlessAdmin(
      UpstreamProxy proxy,
      ServerRequest req,
      ServerResponse res,
      VerifiedAccessToken token,
      Optional<String> scope) {
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
    Optional<MeteredCall> call = meter.begin(token, scope, req, res, errors);
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
