package dev.openwif.server.gateway;

import dev.openwif.token.VerifiedAccessToken;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * A {@code /v1} route that runs only after {@link BearerGuard} has authenticated the request and
 * authorized it for the route's scope; it receives the access token it was authorized with (its
 * service account is {@link VerifiedAccessToken#subject()}, its rule {@link
 * VerifiedAccessToken#ruleId()}), which is where per-account concerns such as rate limits or usage
 * counting attach. Implementations must be thread-safe: one instance serves every request.
 */
@FunctionalInterface
interface AuthorizedHandler {
  void handle(ServerRequest req, ServerResponse res, VerifiedAccessToken token) throws Exception;
}
