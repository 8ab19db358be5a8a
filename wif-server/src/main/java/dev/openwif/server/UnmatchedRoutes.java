package dev.openwif.server;

import dev.openwif.server.http.OpenAiErrorWriter;
import dev.openwif.server.http.RouteTable;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Optional;

/**
 * The last route: a request no other route took gets JSON in OpenAI's error shape instead of the
 * web server's plain text. A path some route in the {@link RouteTable} serves, asked with another
 * method, answers {@code 405} with an {@code Allow} header naming exactly the methods served there;
 * any other path {@code 404} {@code unknown_url}. The admin API answers the same way under {@code
 * /v1/organization}, after authenticating the caller ({@link #answer} is its fallback too).
 * Register after every other route.
 */
final class UnmatchedRoutes {
  private final OpenAiErrorWriter errors;
  private final RouteTable routes;

  UnmatchedRoutes(OpenAiErrorWriter errors, RouteTable routes) {
    this.errors = errors;
    this.routes = routes;
  }

  void register(HttpRouting.Builder routing) {
    routing.any(routes.observed("*", RouteTable.UNMATCHED, this::answer));
  }

  /** Answers 405 or 404 for a request no route took. */
  void answer(ServerRequest req, ServerResponse res) {
    String method = req.prologue().method().text();
    String path = req.path().path();
    List<String> allowed = routes.allowed(req.prologue().uriPath());
    if (!allowed.isEmpty()) {
      String allow = String.join(", ", allowed);
      res.header("Allow", allow);
      errors.write(
          res,
          405,
          OpenAiErrorWriter.INVALID_REQUEST,
          "Method " + method + " is not allowed on " + path + " (allowed: " + allow + ").",
          Optional.empty(),
          Optional.of("method_not_allowed"));
      return;
    }
    errors.write(
        res,
        404,
        OpenAiErrorWriter.INVALID_REQUEST,
        "Invalid URL (" + method + " " + path + ").",
        Optional.empty(),
        Optional.of("unknown_url"));
  }
}
