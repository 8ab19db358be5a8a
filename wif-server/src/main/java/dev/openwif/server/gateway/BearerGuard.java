package dev.openwif.server.gateway;

import dev.openwif.directory.FederationDirectory;
import dev.openwif.directory.FederationSnapshot;
import dev.openwif.federation.FederationRule;
import dev.openwif.federation.Permissions;
import dev.openwif.server.http.OpenAiErrorWriter;
import dev.openwif.server.http.TrustedProxies;
import dev.openwif.token.AccessTokenRejectedException;
import dev.openwif.token.AccessTokenVerifier;
import dev.openwif.token.VerifiedAccessToken;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer-token authentication and scope authorization in front of every {@code /v1} route (RFC
 * 6750).
 *
 * <ul>
 *   <li>401 with {@code WWW-Authenticate: Bearer error="invalid_token"} (RFC 6750 §3.1, with RFC
 *       9728's {@code resource_metadata}, see {@link ProtectedResourceMetadata}) when the token is
 *       missing, malformed, expired, wrongly signed, or was minted under a provider, rule or
 *       service account that has since been disabled or deleted (checked against the in-memory
 *       snapshot on every request, a few map lookups). The SDKs answer a 401 by exchanging again
 *       and replaying once, so no {@code x-should-retry: false} here: the retry is what recovers an
 *       expired token.
 *   <li>403 {@code insufficient_scope} (RFC 6750 §3.1) for a valid token that {@link
 *       RouteAuthorization} does not allow on the route: the route's scope (from {@link
 *       RouteScopes}) is missing from the token or no longer granted by its rule, or the route has
 *       no scope and the token is restricted. With {@code x-should-retry: false} and, for a route
 *       with a scope, {@code scope="..."} in {@code WWW-Authenticate}: a new token would not help.
 * </ul>
 *
 * <p>Two refusals come before any verification: when the federation snapshot is older than its
 * maximum age (the database could not be read for too long; {@link
 * FederationDirectory#staleness()}), every token is answered 401 {@code invalid_token}, since none
 * can be re-checked against current configuration; and a client address that has used up its budget
 * of failed verifications ({@link BearerFailureLimit}) is answered 429 in OpenAI's shape with
 * {@code Retry-After} for any token the verifier has not already verified. A valid token never
 * spends from that budget.
 *
 * <p>Authentication and authorization read one snapshot per request. Only then does the route run,
 * as an {@link AuthorizedHandler} given the token. Signature verification is cached by {@link
 * AccessTokenVerifier} per token, so a request costs a few lookups. Thread-safe.
 */
final class BearerGuard {
  private static final Logger LOG = LoggerFactory.getLogger(BearerGuard.class);
  private static final String PREFIX = "bearer ";

  private final AccessTokenVerifier verifier;
  private final FederationDirectory directory;
  private final OpenAiErrorWriter errors;
  private final BearerFailureLimit failures;
  private final TrustedProxies proxies;

  /**
   * The {@code WWW-Authenticate} of every 401: RFC 6750's {@code invalid_token} and RFC 9728's
   * {@code resource_metadata}, where a client finds which authorization server issues tokens here.
   */
  private final String unauthorizedChallenge;

  /**
   * @param verifier checks signature, issuer (the public URL), audience and expiry of access tokens
   * @param directory tells whether a token's rule or provider has been revoked since it was minted
   * @param failures the budget of failed verifications per client address
   * @param proxies tells the client address of a request
   * @param resourceMetadataUrl where the {@code /v1} API's RFC 9728 metadata is
   */
  BearerGuard(
      AccessTokenVerifier verifier,
      FederationDirectory directory,
      OpenAiErrorWriter errors,
      BearerFailureLimit failures,
      TrustedProxies proxies,
      String resourceMetadataUrl) {
    this.unauthorizedChallenge =
        "Bearer realm=\"openwif\", error=\"invalid_token\", resource_metadata=\""
            + resourceMetadataUrl
            + "\"";
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.errors = Objects.requireNonNull(errors, "errors");
    this.failures = Objects.requireNonNull(failures, "failures");
    this.proxies = Objects.requireNonNull(proxies, "proxies");
  }

  /** What authentication found. */
  private sealed interface Authentication {
    record Valid(VerifiedAccessToken token) implements Authentication {}

    record Refused() implements Authentication {}

    record Throttled(Duration retryAfter, String address) implements Authentication {}
  }

  /**
   * {@code route} runs only for a request whose token is valid, in force, and allowed {@code scope}
   * (a route registered with its pattern, whose scope is known when it is registered).
   */
  Handler requiring(String scope, AuthorizedHandler route) {
    Optional<String> fixed = Optional.of(scope);
    return (req, res) -> guard(req, res, r -> fixed, route);
  }

  /**
   * {@code route} runs only for a request whose token is valid, in force, and allowed the scope
   * {@code table} gives the request's method and raw path; for a route the table does not map, only
   * a token of a rule with the service account's default permissions (deny by default, see {@link
   * RouteAuthorization}).
   */
  Handler requiringScopeFrom(RouteScopeTable table, AuthorizedHandler route) {
    return (req, res) ->
        guard(
            req, res, r -> table.scopeFor(r.prologue().method().text(), r.path().rawPath()), route);
  }

  /** Authenticates, then authorizes against one snapshot, then runs {@code route}. */
  private void guard(
      ServerRequest req,
      ServerResponse res,
      Function<ServerRequest, Optional<String>> scopeOf,
      AuthorizedHandler route)
      throws Exception {
    FederationSnapshot snapshot = directory.snapshot();
    Optional<String> stale = directory.staleness();
    if (stale.isPresent()) {
      LOG.debug("access token not re-checked (snapshot_stale): {}", stale.get());
      unauthorized(res);
      return;
    }
    VerifiedAccessToken token;
    switch (authenticate(req, snapshot)) {
      case Authentication.Valid valid -> token = valid.token();
      case Authentication.Throttled throttled -> {
        LOG.debug(
            "access token not verified: client address {} spent its failed verifications",
            throttled.address());
        tooManyFailures(res, throttled.retryAfter());
        return;
      }
      case Authentication.Refused refused -> {
        if (AdminKeyShape.presentedIn(req)) {
          adminKeyNotAnApiCredential(res);
        } else {
          unauthorized(res);
        }
        return;
      }
    }
    Optional<String> scope = scopeOf.apply(req);
    Optional<Permissions> ruleNow =
        Optional.ofNullable(snapshot.enabledRules().get(token.ruleId()))
            .map(FederationRule::permissions);
    switch (RouteAuthorization.decide(scope, token.scopes(), ruleNow)) {
      case RouteAuthorization.Verdict.Allowed allowed -> route.handle(req, res, token, scope);
      case RouteAuthorization.Verdict.MissingScope missing -> {
        LOG.debug(
            "access token jti={} refused on {} {}: needs {} ({})",
            token.jti(),
            req.prologue().method().text(),
            loggedPath(req),
            missing.scope(),
            missing.gap());
        forbidden(res, missing);
      }
      case RouteAuthorization.Verdict.Unmapped unmapped -> {
        LOG.debug(
            "access token jti={} refused on {} {}: route not in the scope table and {}",
            token.jti(),
            req.prologue().method().text(),
            loggedPath(req),
            unmapped.reason());
        forbiddenUnmapped(res);
      }
    }
  }

  /** The raw path (escapes kept, so no decoded control characters), cut to 200 characters. */
  private static String loggedPath(ServerRequest req) {
    String raw = req.path().rawPath();
    return raw.length() <= 200 ? raw : raw.substring(0, 200) + "...";
  }

  /**
   * A token already verified is looked up without cryptography; any other is verified only when the
   * client address has failed verifications left, and a failure spends one. A missing header costs
   * nothing (no verification).
   */
  private Authentication authenticate(ServerRequest req, FederationSnapshot snapshot) {
    Optional<String> header = req.headers().value(HeaderNames.AUTHORIZATION);
    if (header.isEmpty()
        || header.get().length() <= PREFIX.length()
        || !header.get().regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return new Authentication.Refused();
    }
    String bearer = header.get().substring(PREFIX.length()).trim();
    Optional<VerifiedAccessToken> known = verifier.cached(bearer);
    VerifiedAccessToken token;
    if (known.isPresent()) {
      token = known.get();
    } else {
      String address = proxies.clientAddress(req).orElse("unknown");
      Optional<Duration> wait = failures.wouldWait(address);
      if (wait.isPresent()) {
        return new Authentication.Throttled(wait.get(), address);
      }
      try {
        token = verifier.verify(bearer);
      } catch (AccessTokenRejectedException e) {
        failures.failed(address);
        LOG.debug("access token refused: {}", e.getMessage());
        return new Authentication.Refused();
      }
    }
    Optional<String> revoked =
        snapshot.revocationReason(token.providerId(), token.ruleId(), token.subject());
    if (revoked.isPresent()) {
      LOG.debug("access token jti={} no longer honoured: {}", token.jti(), revoked.get());
      return new Authentication.Refused();
    }
    return new Authentication.Valid(token);
  }

  /** 429 in OpenAI's shape with {@code Retry-After}: the SDKs wait and retry. */
  private void tooManyFailures(ServerResponse res, Duration retryAfter) {
    long millis = Math.max(1, retryAfter.toMillis());
    res.header("retry-after", Long.toString(Math.max(1, (millis + 999) / 1000)));
    res.header("retry-after-ms", Long.toString(millis));
    errors.write(
        res,
        429,
        "requests",
        "Too many requests with invalid access tokens from this address; retry later.",
        Optional.empty(),
        Optional.of("rate_limit_exceeded"));
  }

  private void unauthorized(ServerResponse res) {
    res.header(HeaderNames.WWW_AUTHENTICATE, unauthorizedChallenge);
    errors.write(
        res,
        401,
        OpenAiErrorWriter.INVALID_REQUEST,
        "The access token is missing, invalid, expired or revoked.",
        Optional.empty(),
        Optional.of("invalid_token"));
  }

  private void adminKeyNotAnApiCredential(ServerResponse res) {
    res.header(HeaderNames.WWW_AUTHENTICATE, unauthorizedChallenge);
    errors.write(
        res,
        401,
        OpenAiErrorWriter.INVALID_REQUEST,
        "Admin keys are not API credentials; they work only on /v1/organization. Exchange a"
            + " workload's identity token at /oauth/token for an access token and send that.",
        Optional.empty(),
        Optional.of("invalid_api_key"));
  }

  private void forbiddenUnmapped(ServerResponse res) {
    res.header(
        HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"openwif\", error=\"insufficient_scope\"");
    res.header("x-should-retry", "false");
    errors.write(
        res,
        403,
        OpenAiErrorWriter.INVALID_REQUEST,
        "This route has no scope in OpenWIF's route table, so only tokens with the service"
            + " account's default permissions may call it; this token is restricted.",
        Optional.empty(),
        Optional.of("insufficient_scope"));
  }

  private void forbidden(ServerResponse res, RouteAuthorization.Verdict.MissingScope missing) {
    String scope = missing.scope();
    String message =
        switch (missing.gap()) {
          case NOT_IN_TOKEN ->
              "The access token does not carry the scope " + scope + " this route needs.";
          case NO_LONGER_GRANTED, RULE_GONE ->
              "The access token's federation rule no longer grants the scope "
                  + scope
                  + " this route needs.";
        };
    res.header(
        HeaderNames.WWW_AUTHENTICATE,
        "Bearer realm=\"openwif\", error=\"insufficient_scope\", scope=\"" + scope + "\"");
    res.header("x-should-retry", "false");
    errors.write(
        res,
        403,
        OpenAiErrorWriter.INVALID_REQUEST,
        message,
        Optional.empty(),
        Optional.of("insufficient_scope"));
  }
}
