package dev.openwif.server;

import dev.openwif.server.http.OpenAiErrorWriter;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The last route: a request no other route took gets JSON in OpenAI's error shape instead of the
 * web server's plain text. A known path asked with another method answers {@code 405} with an
 * {@code Allow} header; any other path {@code 404} ({@code /v1/organization/...} has its own 404 in
 * the admin API). Register after every other route.
 */
final class UnmatchedRoutes {
  /** A path the server serves and the methods it answers there. */
  record Known(Pattern path, List<String> methods) {}

  /**
   * Every route outside the admin API; {@code UnmatchedRoutesIT} checks each against the routing.
   */
  static final List<Known> KNOWN =
      List.of(
          known("/healthz", "GET"),
          known("/oauth/token", "POST"),
          known("/\\.well-known/openid-configuration", "GET"),
          known("/\\.well-known/jwks\\.json", "GET"),
          known("/v1/models", "GET"),
          known("/v1/models/[^/]+", "GET"),
          known("/v1/responses", "POST"));

  private final OpenAiErrorWriter errors;

  UnmatchedRoutes(OpenAiErrorWriter errors) {
    this.errors = errors;
  }

  void register(HttpRouting.Builder routing) {
    routing.any(this::answer);
  }

  private void answer(ServerRequest req, ServerResponse res) {
    String method = req.prologue().method().text();
    String path = req.path().path();
    Optional<Known> known =
        KNOWN.stream().filter(k -> k.path().matcher(path).matches()).findFirst();
    if (known.isPresent()) {
      String allowed = String.join(", ", known.get().methods());
      res.header("Allow", allowed);
      errors.write(
          res,
          405,
          OpenAiErrorWriter.INVALID_REQUEST,
          "Method " + method + " is not allowed on " + path + " (allowed: " + allowed + ").",
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

  private static Known known(String path, String... methods) {
    return new Known(Pattern.compile(path), List.of(methods));
  }
}
