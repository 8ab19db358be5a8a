package dev.openwif.server;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 description of the admin API, {@code /oauth/token} and
 * {@code /oauth/introspect}, without authentication (it holds no secret and no configuration). The
 * bytes are {@code docs/openapi.json}, which the build copies into the jar; they are read once,
 * when the routing is built, and a jar without them fails there. The integration tests validate
 * every answer they get against the same bytes ({@code OpenApiContract}). Thread-safe.
 */
final class OpenApiEndpoint implements Handler {
  static final String PATH = "/openapi.json";
  static final String RESOURCE = "openapi.json";

  private final byte[] document;

  OpenApiEndpoint() {
    this.document = read();
  }

  private static byte[] read() {
    try (InputStream in = OpenApiEndpoint.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the jar has no " + RESOURCE + " beside " + OpenApiEndpoint.class.getName());
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE + " from the jar", e);
    }
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(document);
  }
}
