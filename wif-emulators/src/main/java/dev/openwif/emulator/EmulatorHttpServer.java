package dev.openwif.emulator;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import java.util.Objects;

/**
 * A started Helidon SE web server that sends every request to one handler, which does its own
 * dispatching so that an emulator answers unknown paths and wrong methods exactly as the service it
 * imitates.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class EmulatorHttpServer implements AutoCloseable {
  private final WebServer server;
  private final String host;

  private EmulatorHttpServer(WebServer server, String host) {
    this.server = server;
    this.host = host;
  }

  /**
   * Starts a server on {@code host:port} ({@code port} 0 picks a free port).
   *
   * @throws IllegalStateException when the port cannot be bound
   */
  public static EmulatorHttpServer start(String host, int port, Handler handler) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(handler, "handler");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    WebServer server =
        WebServer.builder()
            .host(host)
            .port(port)
            .shutdownHook(false)
            .routing(routing -> routing.any(handler))
            .build();
    try {
      server.start();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    // Helidon logs a failed bind (port in use) and returns a server that is not running.
    if (!server.isRunning()) {
      throw new IllegalStateException(
          "cannot listen on " + host + ":" + port + " (is the port in use?)");
    }
    return new EmulatorHttpServer(server, host);
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** {@code http://host:port}, without a trailing slash. */
  public String baseUrl() {
    String printableHost = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + printableHost + ":" + port();
  }

  @Override
  public void close() {
    if (server.isRunning()) {
      server.stop();
    }
  }
}
