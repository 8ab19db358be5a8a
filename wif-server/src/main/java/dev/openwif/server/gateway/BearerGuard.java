package dev.openwif.server.gateway;

import dev.openwif.directory.FederationDirectory;
import dev.openwif.federation.FederationRule;
import dev.openwif.federation.Permissions;
import dev.openwif.server.http.OpenAiErrorWriter;
import dev.openwif.token.AccessTokenRejectedException;
import dev.openwif.token.AccessTokenVerifier;
import dev.openwif.token.VerifiedAccessToken;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer-token authentication and scope authorization in front of every {@code /v1} route (RFC
 * 6750).
 *
 * <ul>
 *   <li>401 with {@code WWW-Authenticate: Bearer error="invalid_token"} (RFC 6750 §3.1) when the
 *       token is missing, malformed, expired, wrongly signed, or was minted under a provider, rule
 *       or service account that has since been disabled or deleted (checked against the in-memory
 *       snapshot on every request, a few map lookups). The SDKs answer a 401 by exchanging again
 *       and replaying once, so no {@code x-should-retry: false} here: the retry is what recovers an
 *       expired token.
 *   <li>403 {@code insufficient_scope} (RFC 6750 §3.1) for a valid token without the route's scope,
 *       with {@code x-should-retry: false}: a new token would carry the same scopes.
 * </ul>
 *
 * Signature verification is cached by {@link AccessTokenVerifier} per token, so a request costs a
 * lookup. Thread-safe.
 */
final class BearerGuard {
  private static final Logger LOG = LoggerFactory.getLogger(BearerGuard.class);
  private static final String PREFIX = "bearer ";

  private final AccessTokenVerifier verifier;
  private final FederationDirectory directory;
  private final OpenAiErrorWriter errors;

  /**
   * @param verifier checks signature, issuer (the public URL), audience and expiry of access tokens
   * @param directory tells whether a token's rule or provider has been revoked since it was minted
   */
  BearerGuard(
      AccessTokenVerifier verifier, FederationDirectory directory, OpenAiErrorWriter errors) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.errors = Objects.requireNonNull(errors, "errors");
  }

  /**
   * {@code route} runs only for a request whose token is valid, in force, and carries {@code
   * scope}.
   */
  Handler requiring(String scope, Handler route) {
    return (req, res) -> {
      Optional<VerifiedAccessToken> token = authenticate(req);
      if (token.isEmpty() && AdminKeyShape.presentedIn(req)) {
        adminKeyNotAnApiCredential(res);
      } else if (token.isEmpty()) {
        unauthorized(res);
      } else if (!token.get().scopes().contains(scope)) {
        forbidden(res, scope);
      } else {
        req.context().register(token.get()); // for the gateway's metering
        route.handle(req, res);
      }
    };
  }

  /**
   * For a {@code /v1} route with no scope in {@link RouteScopes} (deny by default): {@code route}
   * runs only for a valid token in force whose rule grants {@code service_account_default}
   * permissions, read from the current snapshot, so narrowing a rule to {@code restricted} takes
   * effect on tokens already issued. A restricted token gets 403 {@code insufficient_scope}: no
   * scope in the catalogue is known to allow the route.
   */
  Handler requiringUnrestricted(Handler route) {
    return (req, res) -> {
      Optional<VerifiedAccessToken> token = authenticate(req);
      if (token.isEmpty() && AdminKeyShape.presentedIn(req)) {
        adminKeyNotAnApiCredential(res);
      } else if (token.isEmpty()) {
        unauthorized(res);
      } else if (!unrestricted(token.get())) {
        forbiddenUnmapped(res);
      } else {
        req.context().register(token.get()); // for the gateway's metering
        route.handle(req, res);
      }
    };
  }

  private boolean unrestricted(VerifiedAccessToken token) {
    FederationRule rule = directory.snapshot().enabledRules().get(token.ruleId());
    return rule != null && rule.permissions() instanceof Permissions.ServiceAccountDefault;
  }

  private Optional<VerifiedAccessToken> authenticate(ServerRequest req) {
    Optional<String> header = req.headers().value(HeaderNames.AUTHORIZATION);
    if (header.isEmpty()
        || header.get().length() <= PREFIX.length()
        || !header.get().substring(0, PREFIX.length()).toLowerCase(Locale.ROOT).equals(PREFIX)) {
      return Optional.empty();
    }
    VerifiedAccessToken token;
    try {
      token = verifier.verify(header.get().substring(PREFIX.length()).trim());
    } catch (AccessTokenRejectedException e) {
      LOG.debug("access token refused: {}", e.getMessage());
      return Optional.empty();
    }
    Optional<String> revoked =
        directory.snapshot().revocationReason(token.providerId(), token.ruleId(), token.subject());
    if (revoked.isPresent()) {
      LOG.debug("access token jti={} no longer honoured: {}", token.jti(), revoked.get());
      return Optional.empty();
    }
    return Optional.of(token);
  }

  private void unauthorized(ServerResponse res) {
    res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"openwif\", error=\"invalid_token\"");
    errors.write(
        res,
        401,
        OpenAiErrorWriter.INVALID_REQUEST,
        "The access token is missing, invalid, expired or revoked.",
        Optional.empty(),
        Optional.of("invalid_token"));
  }

  private void adminKeyNotAnApiCredential(ServerResponse res) {
    res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"openwif\", error=\"invalid_token\"");
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

  private void forbidden(ServerResponse res, String scope) {
    res.header(
        HeaderNames.WWW_AUTHENTICATE,
        "Bearer realm=\"openwif\", error=\"insufficient_scope\", scope=\"" + scope + "\"");
    res.header("x-should-retry", "false");
    errors.write(
        res,
        403,
        OpenAiErrorWriter.INVALID_REQUEST,
        "The access token does not carry the scope " + scope + " this route needs.",
        Optional.empty(),
        Optional.of("insufficient_scope"));
  }
}
