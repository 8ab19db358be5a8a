package dev.openwif.server.gateway;

import dev.openwif.token.VerifiedAccessToken;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;

/**
 * A {@code /v1} route that runs only after {@link BearerGuard} has authenticated the request and
 * authorized it for the route's scope; it receives the access token it was authorized with (its
 * service account is {@link VerifiedAccessToken#subject()}, its rule {@link
 * VerifiedAccessToken#ruleId()}), which is where per-account concerns such as rate limits or usage
 * counting attach. Implementations must be thread-safe: one instance serves every request.
 */
@FunctionalInterface
interface AuthorizedHandler {
  /**
   * Runs the route for a request the guard let through.
   *
   * @param scope the scope the route table gave this request, which the guard authorized; empty for
   *     a route not in the table (allowed to unrestricted rules only)
   */
  void handle(
      ServerRequest req, ServerResponse res, VerifiedAccessToken token, Optional<String> scope)
      throws Exception;
}
