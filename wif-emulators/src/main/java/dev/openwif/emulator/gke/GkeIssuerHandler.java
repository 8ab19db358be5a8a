package dev.openwif.emulator.gke;

import dev.openwif.emulator.OidcDiscoveryDocument;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Serves what a Kubernetes API server exposes for service account issuer discovery (KEP-1393): the
 * discovery document at {@code /.well-known/openid-configuration} and the JWKS at {@code
 * /openid/v1/jwks}. Everything else is 404. Thread-safe.
 */
final class GkeIssuerHandler implements Handler {
  static final String JWKS_PATH = "/openid/v1/jwks";

  private final Supplier<Optional<String>> issuer;
  private final Supplier<Optional<String>> baseUrl;
  private final String jwksJson;

  GkeIssuerHandler(
      Supplier<Optional<String>> issuer, Supplier<Optional<String>> baseUrl, String jwksJson) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.jwksJson = Objects.requireNonNull(jwksJson, "jwksJson");
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    String path = req.path().path();
    if (!req.prologue().method().equals(Method.GET)) {
      reply(res, Status.METHOD_NOT_ALLOWED_405, "text/plain", "method not allowed");
      return;
    }
    Optional<String> iss = issuer.get();
    Optional<String> base = baseUrl.get();
    if (iss.isEmpty() || base.isEmpty()) {
      reply(res, Status.SERVICE_UNAVAILABLE_503, "text/plain", "starting");
      return;
    }
    switch (path) {
      case OidcDiscoveryDocument.PATH ->
          reply(
              res,
              Status.OK_200,
              "application/json",
              new OidcDiscoveryDocument(iss.get(), base.get() + JWKS_PATH).toJson());
      case JWKS_PATH -> reply(res, Status.OK_200, "application/jwk-set+json", jwksJson);
      default -> reply(res, Status.NOT_FOUND_404, "text/plain", "404 page not found");
    }
  }

  private static void reply(ServerResponse res, Status status, String contentType, String body) {
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, contentType);
    res.send(body);
  }
}
