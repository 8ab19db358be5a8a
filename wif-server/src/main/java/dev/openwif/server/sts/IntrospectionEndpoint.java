package dev.openwif.server.sts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.directory.FederationDirectory;
import dev.openwif.server.http.BoundedBody;
import dev.openwif.server.http.TrustedProxies;
import dev.openwif.server.sts.IntrospectionRequest.ClientCredentials;
import dev.openwif.token.AccessTokenVerifier;
import dev.openwif.token.VerifiedAccessToken;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /oauth/introspect}: token introspection (RFC 7662) for APIs that accept OpenWIF
 * access tokens and want revocation honoured. The caller authenticates as a resource server an
 * admin created ({@code client_secret_basic} or {@code client_secret_post}); admin keys are refused
 * with a message saying so. In order:
 *
 * <ol>
 *   <li>an address over the failed-authentication limit gets 429 ({@link ClientAuthThrottle});
 *   <li>the body, at most {@link #BODY_LIMIT} bytes (413 beyond), is parsed ({@link
 *       IntrospectionRequestParser}; 400 {@code invalid_request} when malformed);
 *   <li>the credentials are checked (401 {@code invalid_client} when missing or wrong, counted by
 *       the throttle);
 *   <li>a request without {@code token} is 400 {@code invalid_request};
 *   <li>the token is judged by {@link TokenIntrospection}, the gateway's own check, and the answer
 *       written by {@link IntrospectionResponses}: its claims when active, exactly {@code
 *       {"active":false}} otherwise.
 * </ol>
 *
 * {@code token_type_hint} is accepted and ignored: the endpoint knows one kind of token. No token,
 * secret or credential is ever logged; refusals are logged at INFO (authentication) or DEBUG (an
 * inactive token, a throttled address) with their reason. Thread-safe.
 */
public final class IntrospectionEndpoint implements Handler {
  static final String PATH = "/oauth/introspect";

  /** An 8 KiB access token, form-encoded, and the credentials fit. */
  static final int BODY_LIMIT = 16 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(IntrospectionEndpoint.class);
  private static final Pattern LOGGABLE_ID = Pattern.compile("rs_[0-9a-f]{1,64}");

  private final ResourceServerAuthenticator authenticator;
  private final ClientAuthThrottle throttle;
  private final TrustedProxies proxies;
  private final TokenIntrospection introspection;
  private final IntrospectionResponses responses;
  private final IntrospectionRequestParser parser = new IntrospectionRequestParser();
  private final BoundedBody body = new BoundedBody(BODY_LIMIT);

  /**
   * @param verifier checks the access tokens' signature, issuer, audience and expiry
   * @param directory tells whether a token's provider, rule or service account was revoked
   */
  public IntrospectionEndpoint(
      ResourceServerAuthenticator authenticator,
      ClientAuthThrottle throttle,
      TrustedProxies proxies,
      AccessTokenVerifier verifier,
      FederationDirectory directory,
      ObjectMapper json) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.throttle = Objects.requireNonNull(throttle, "throttle");
    this.proxies = Objects.requireNonNull(proxies, "proxies");
    this.introspection = new TokenIntrospection(verifier, directory);
    this.responses = new IntrospectionResponses(json);
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    String address = proxies.clientAddress(req).orElse("unknown");
    Optional<Duration> wait = throttle.blocked(address);
    if (wait.isPresent()) {
      LOG.debug("introspection refused: {} is over the failed-authentication limit", address);
      responses.throttled(res, (wait.get().toMillis() + 999) / 1000);
      return;
    }
    byte[] bytes;
    try {
      bytes = body.read(req);
    } catch (BoundedBody.TooLarge e) {
      responses.tooLarge(res, e.limit());
      return;
    }
    IntrospectionRequest parsed =
        parser.parse(
            req.headers().value(HeaderNames.CONTENT_TYPE),
            req.headers().value(HeaderNames.AUTHORIZATION),
            bytes);
    switch (parsed) {
      case IntrospectionRequest.Malformed malformed ->
          responses.invalidRequest(res, malformed.problem());
      case IntrospectionRequest.Parsed ok -> {
        if (authenticated(ok.credentials(), address, res)) {
          answer(ok, res);
        }
      }
    }
  }

  /** Whether the credentials authenticate a resource server; when not, the 401 is written. */
  private boolean authenticated(ClientCredentials credentials, String address, ServerResponse res) {
    switch (credentials) {
      case ClientCredentials.Secret secret -> {
        Optional<String> server = authenticator.authenticate(secret.clientId(), secret.secret());
        if (server.isPresent()) {
          return true;
        }
        throttle.failed(address);
        LOG.info(
            "introspection refused: {} credentials for client_id {} do not authenticate",
            secret.method(),
            LOGGABLE_ID.matcher(secret.clientId()).matches()
                ? secret.clientId()
                : "(not a resource server id)");
        responses.invalidClient(res, "Unknown client_id or wrong client secret.");
      }
      case ClientCredentials.AdminKey adminKey -> {
        throttle.failed(address);
        LOG.info("introspection refused: an admin key was presented");
        responses.invalidClient(
            res,
            "Admin keys are not resource-server credentials. Create a resource server under"
                + " /v1/organization/resource_servers and authenticate with its client_id and"
                + " client_secret (HTTP Basic or in the body).");
      }
      case ClientCredentials.None none -> {
        throttle.failed(address);
        LOG.info("introspection refused: no client credentials");
        responses.invalidClient(
            res,
            "Client authentication is required: send the resource server's client_id and"
                + " client_secret with HTTP Basic or in the body.");
      }
      case ClientCredentials.Unusable unusable -> {
        throttle.failed(address);
        LOG.info("introspection refused: {}", unusable.problem());
        responses.invalidClient(
            res,
            "Client authentication failed: send the resource server's client_id and"
                + " client_secret with HTTP Basic or in the body.");
      }
    }
    return false;
  }

  private void answer(IntrospectionRequest.Parsed request, ServerResponse res) {
    if (request.token().isEmpty()) {
      responses.invalidRequest(res, "Missing required parameter: token.");
      return;
    }
    Optional<VerifiedAccessToken> active = introspection.active(request.token().get());
    if (active.isPresent()) {
      responses.active(res, active.get(), introspection.issuer(), introspection.audience());
    } else {
      responses.inactive(res);
    }
  }
}
