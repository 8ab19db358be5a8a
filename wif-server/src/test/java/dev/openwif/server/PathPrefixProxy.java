package dev.openwif.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A reverse proxy on 127.0.0.1 and a free port, set up for a public URL with a path as
 * docs/operations.md ("A public URL with a path") tells: {@code PREFIX/…} goes to the server with
 * {@code PREFIX} removed, and the RFC-placed well-known paths ({@code
 * /.well-known/oauth-authorization-server PREFIX}, {@code /.well-known/openid-configuration
 * PREFIX}, {@code /.well-known/oauth-protected-resource PREFIX} and the same followed by {@code
 * /v1}) go to it unchanged or with {@code PREFIX} removed as well ({@link WellKnown}); anything
 * else is a 404 of the proxy's own. Every forwarded call has a 10 s timeout. It remembers the path
 * of every request it received ({@link #received}), forwarded or not.
 */
public final class PathPrefixProxy implements AutoCloseable {
  /** What the proxy does with the path of an RFC-placed well-known request. */
  enum WellKnown {
    /** forwards it as it is. */
    UNCHANGED,
    /** removes the public URL's path from it too. */
    PREFIX_REMOVED
  }

  private static final Set<String> NOT_FORWARDED =
      Set.of(
          "host", "connection", "content-length", "transfer-encoding", "date", "expect", "upgrade");

  private final String prefix;
  private final Pattern wellKnown;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private volatile int target;
  private volatile WellKnown mode = WellKnown.UNCHANGED;

  /**
   * @param prefix the public URL's path, {@code /wif} say
   */
  public PathPrefixProxy(String prefix) {
    this.prefix = prefix;
    this.wellKnown =
        Pattern.compile(
            "/\\.well-known/(oauth-authorization-server|openid-configuration"
                + "|oauth-protected-resource)"
                + Pattern.quote(prefix)
                + "(/v1)?");
    try {
      server =
          HttpServer.create(
              new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** {@code http://127.0.0.1:PORT}: what clients reach the proxy at. */
  public String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Forwards to the server on {@code port} of 127.0.0.1 from now on. */
  public void forwardTo(int port) {
    this.target = port;
  }

  void wellKnown(WellKnown value) {
    this.mode = value;
  }

  /** The path (without query) of every request received so far, in the order they came. */
  public List<String> received() {
    return List.copyOf(received);
  }

  /** The path the server is asked for, or empty when no rule takes {@code path}. */
  Optional<String> upstreamPath(String path) {
    if (path.startsWith(prefix + "/")) {
      return Optional.of(path.substring(prefix.length()));
    }
    if (wellKnown.matcher(path).matches()) {
      return Optional.of(
          mode == WellKnown.UNCHANGED ? path : path.replaceFirst(Pattern.quote(prefix), ""));
    }
    return Optional.empty();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      received.add(uri.getRawPath());
      Optional<String> path = upstreamPath(uri.getRawPath());
      if (path.isEmpty()) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      HttpRequest.Builder request =
          HttpRequest.newBuilder(
                  URI.create(
                      "http://127.0.0.1:"
                          + target
                          + path.get()
                          + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
              .timeout(Duration.ofSeconds(10))
              .method(
                  exchange.getRequestMethod(),
                  body.length == 0
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
        if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
          header.getValue().forEach(value -> request.header(header.getKey(), value));
        }
      }
      HttpResponse<byte[]> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
        return;
      } catch (IOException e) {
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      response
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                  exchange.getResponseHeaders().put(name, values);
                }
              });
      byte[] answer = response.body();
      exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    http.close();
  }
}
