package dev.openwif.server.gateway;

import dev.openwif.server.http.OpenAiErrorWriter;
import io.helidon.http.Header;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams an authorized {@code /v1} request to the upstream and the answer back: the request body
 * is read from the client while it is sent, and the response body is copied and flushed read by
 * read, so Server-Sent Events arrive event by event and nothing sits whole in memory. Headers cross
 * as {@link ProxyHeaders} says; the upstream key is set here. Upstream statuses and bodies (errors
 * included) pass through. Unreachable upstream: 502; connect or first-byte (response headers)
 * timeout: 504; both in OpenAI's error shape. A client that goes away closes the upstream body,
 * which cancels the upstream exchange. Never logs a header value. Thread-safe.
 */
public final class UpstreamProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamProxy.class);
  private static final int BUFFER = 8192;

  private final UpstreamTarget target;
  private final Optional<String> authorization;
  private final GatewayUpstream settings;
  private final OpenAiErrorWriter errors;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient client;

  /**
   * @param settings must name a target (not the demo model)
   */
  public UpstreamProxy(GatewayUpstream settings, OpenAiErrorWriter errors) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.target =
        settings
            .target()
            .orElseThrow(() -> new IllegalArgumentException("the demo model has no upstream"));
    this.authorization = settings.apiKey().map(key -> "Bearer " + key);
    this.errors = Objects.requireNonNull(errors, "errors");
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(target.secure() ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
            .executor(executor)
            .build();
  }

  /** The methods of OpenAI's API; anything else (CONNECT, TRACE, …) is not forwarded. */
  private static final Set<String> FORWARDED_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

  /**
   * Forwards a request already authorized by {@link BearerGuard}; its path starts {@code /v1}. The
   * {@code call}'s rate-limit headers are set on the answer, its body is fed to the call's usage
   * tap and counted; the caller finishes the call.
   */
  void forward(ServerRequest req, ServerResponse res, MeteredCall call) {
    String method = req.prologue().method().text();
    if (!FORWARDED_METHODS.contains(method)) {
      errors.write(
          res,
          405,
          OpenAiErrorWriter.INVALID_REQUEST,
          "The method " + method + " is not forwarded to the upstream API.",
          Optional.empty(),
          Optional.of("method_not_allowed"));
      return;
    }
    Optional<String> forwarded = ForwardedPath.of(req.path().rawPath());
    if (forwarded.isEmpty()) {
      errors.badRequest(
          res,
          "The request path must be a plain /v1/... path (no '.', '..' or empty segments, no ';',"
              + " no '\\', no percent-encoded '/', '\\', '.', ';' or '%').",
          Optional.empty());
      return;
    }
    String rest = forwarded.get();
    Optional<String> query = Optional.of(req.query().rawValue()).filter(q -> !q.isEmpty());
    HttpRequest.Builder upstream;
    try {
      upstream =
          HttpRequest.newBuilder(target.resolve(rest, query))
              .timeout(settings.firstByteTimeout())
              .method(method, body(req));
    } catch (IllegalArgumentException e) {
      errors.badRequest(res, "The request target cannot be forwarded.", Optional.empty());
      return;
    }
    ProxyHeaders.toUpstream(clientHeaders(req))
        .forEach((name, values) -> values.forEach(value -> header(upstream, name, value)));
    authorization.ifPresent(value -> upstream.header("Authorization", value));
    HttpResponse<InputStream> answer;
    try {
      answer = client.send(upstream.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException e) {
      fail(res, 504, "The upstream API did not accept a connection in time.", method, rest, e);
      return;
    } catch (HttpTimeoutException e) {
      fail(res, 504, "The upstream API did not answer in time.", method, rest, e);
      return;
    } catch (IOException e) {
      fail(res, 502, "The upstream API could not be reached.", method, rest, e);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(res, 502, "The upstream call was interrupted.", method, rest, e);
      return;
    }
    try (InputStream in = answer.body()) {
      relay(answer, in, req, res, call);
    } catch (IOException e) {
      LOG.debug("closing the upstream body of {} {}: {}", method, rest, e.toString());
    }
  }

  private void relay(
      HttpResponse<InputStream> answer,
      InputStream in,
      ServerRequest req,
      ServerResponse res,
      MeteredCall call) {
    res.status(answer.statusCode());
    ProxyHeaders.toClient(answer.headers().map())
        .forEach((name, values) -> res.header(name, values.toArray(String[]::new)));
    call.rateLimitHeaders().forEach(res::header); // the account's limits, not the upstream's
    call.requestId(answer.headers().firstValue("x-request-id"));
    UsageTap tap = call.tap(answer.headers().firstValue("content-type"));
    int status = answer.statusCode();
    if (status == 204 || status == 304 || req.prologue().method().text().equals("HEAD")) {
      res.send();
      return;
    }
    byte[] buffer = new byte[BUFFER];
    OutputStream out = res.outputStream();
    while (true) {
      int n;
      try {
        n = in.read(buffer);
      } catch (IOException e) {
        // headers are gone already: end the connection so the client sees a cut, not an end
        throw new UncheckedIOException("upstream body failed mid-way", e);
      }
      if (n < 0) {
        break;
      }
      try {
        out.write(buffer, 0, n);
        out.flush();
        call.sent(n);
        tap.accept(buffer, 0, n);
      } catch (IOException | UncheckedIOException e) {
        LOG.debug("client left during an upstream response: {}", e.toString());
        return; // try-with-resources closes the upstream body, cancelling it
      }
    }
    tap.end();
    try {
      out.close();
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("client left at the end of an upstream response: {}", e.toString());
    }
  }

  private static BodyPublisher body(ServerRequest req) {
    if (!req.content().hasEntity()) {
      return BodyPublishers.noBody();
    }
    BodyPublisher stream = BodyPublishers.ofInputStream(() -> req.content().inputStream());
    OptionalLong length = req.headers().contentLength();
    if (length.isPresent()) {
      return length.getAsLong() == 0
          ? BodyPublishers.noBody()
          : BodyPublishers.fromPublisher(stream, length.getAsLong());
    }
    return stream;
  }

  private static Map<String, List<String>> clientHeaders(ServerRequest req) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Header header : req.headers()) {
      headers.put(header.name(), header.allValues());
    }
    return headers;
  }

  private static void header(HttpRequest.Builder builder, String name, String value) {
    try {
      builder.header(name, value);
    } catch (IllegalArgumentException e) {
      LOG.debug("header {} not forwarded: the HTTP client refuses it", name);
    }
  }

  private void fail(
      ServerResponse res, int status, String message, String method, String rest, Exception e) {
    LOG.warn(
        "upstream {} {} failed ({}): {}", method, "/v1" + rest, status, e.getClass().getName());
    errors.write(
        res,
        status,
        "server_error",
        message,
        Optional.empty(),
        Optional.of(status == 504 ? "upstream_timeout" : "upstream_unreachable"));
  }

  /** Ends the upstream calls still running (a server stopping does not wait for streams). */
  @Override
  public void close() {
    client.shutdownNow();
    executor.shutdownNow();
  }
}
