package dev.openwif.server.gateway;

import dev.openwif.server.http.BoundedBody;
import dev.openwif.server.http.OpenAiErrorWriter;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams an authorized {@code /v1} request to the upstream and the answer back: the request body
 * is read from the client while it is sent, and the response body is copied and flushed read by
 * read, so Server-Sent Events arrive event by event and nothing sits whole in memory. Headers cross
 * as {@link ProxyHeaders} says; the upstream key is set here. Upstream statuses and bodies (errors
 * included) pass through. Unreachable upstream: 502; connect or first-byte (response headers)
 * timeout: 504; both in OpenAI's error shape. Once the headers came, an upstream that sends nothing
 * for the idle timeout (timed by one {@link IdleWatchdog} thread for all calls, which ends the
 * blocked read through an {@link UpstreamWait}) or cuts its body gives a 504/502 when nothing
 * reached the client yet, and otherwise a cut client connection (no end-of-body marker, so the
 * client sees a truncated answer). A 502/504 while the client's body is still unread closes the
 * connection rather than wait for the rest of the upload. A client that goes away closes the
 * upstream body, which cancels the upstream exchange. Each failure is one WARN line naming method
 * and path. Never logs a header value or a body. Thread-safe.
 */
public final class UpstreamProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamProxy.class);
  private static final HeaderName X_REQUEST_ID = HeaderNames.create("x-request-id");
  private static final int BUFFER = 8192;

  /** With {@code --upstream-route}: at most this much of a JSON body is read to find its model. */
  static final int ROUTING_BODY_LIMIT = 1024 * 1024;

  private final GatewayUpstream settings;
  private final OpenAiErrorWriter errors;
  private final Destination fallback;
  private final Map<UpstreamRoute, Destination> routes;
  private final BoundedBody routingBody = new BoundedBody(ROUTING_BODY_LIMIT);
  private final IdleWatchdog watchdog = new IdleWatchdog();
  private final UpstreamTiming timing;

  /**
   * Somewhere requests go: {@code --upstream} with the upstream key, or a route's target without.
   *
   * @param name how logs name it: {@code --upstream} or {@code --upstream-route #N}
   */
  private record Destination(
      String name, UpstreamTarget target, UpstreamKey key, Http1Client client) {}

  /**
   * @param settings must name a target (not the demo model)
   */
  public UpstreamProxy(GatewayUpstream settings, OpenAiErrorWriter errors) {
    this(settings, errors, UpstreamTiming.NONE);
  }

  /**
   * @param settings must name a target (not the demo model)
   * @param timing told how long each upstream took to answer (response headers read)
   */
  public UpstreamProxy(GatewayUpstream settings, OpenAiErrorWriter errors, UpstreamTiming timing) {
    this.timing = Objects.requireNonNull(timing, "timing");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.errors = Objects.requireNonNull(errors, "errors");
    UpstreamTarget target =
        settings
            .target()
            .orElseThrow(() -> new IllegalArgumentException("the demo model has no upstream"));
    this.fallback = new Destination("--upstream", target, settings.apiKey(), client(target));
    Map<UpstreamRoute, Destination> byRoute = new LinkedHashMap<>();
    for (UpstreamRoute route : settings.routes()) {
      byRoute.put(
          route,
          new Destination(
              UpstreamRoute.FLAG + " #" + route.position(),
              route.target(),
              UpstreamKey.none(), // the upstream key never goes to a route target
              client(route.target())));
    }
    this.routes = Collections.unmodifiableMap(byRoute);
  }

  /**
   * Helidon's blocking HTTP/1.1 client: it runs on the request's own virtual thread (no hand-off to
   * a selector and back, which made the JDK's {@code java.net.http} client cost about twice the CPU
   * per call) and keeps upstream connections alive in its own pool, over TLS too for an {@code
   * https} target. The first-byte and idle timeouts are this class's ({@link UpstreamWait}); the
   * socket's read timeout is only a backstop behind both. Bodies pass as sent: no content decoding,
   * no {@code Expect: 100-continue}, no redirects.
   */
  private Http1Client client(UpstreamTarget target) {
    Duration backstop = settings.firstByteTimeout().plus(settings.idleTimeout());
    return Http1Client.builder()
        .baseUri(target.resolve("", Optional.empty()))
        .connectTimeout(settings.connectTimeout())
        .readTimeout(backstop)
        .followRedirects(false)
        .sendExpectContinue(false)
        .shareConnectionCache(false)
        .contentEncoding(ContentEncodingContext.create())
        .build();
  }

  /** The methods of OpenAI's API; anything else (CONNECT, TRACE, …) is not forwarded. */
  private static final Set<String> FORWARDED_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

  /**
   * Forwards a request already authorized by {@link BearerGuard}; its path starts {@code /v1}. The
   * {@code call}'s rate-limit headers replace the upstream's, and the relayed body is fed to the
   * call's usage tap and counted; the caller finishes the call.
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
    Optional<Chosen> chosen = choose(req, res, method, rest);
    if (chosen.isEmpty()) {
      return; // answered already
    }
    Destination to = chosen.get().to();
    Http1ClientRequest upstream;
    URI uri;
    try {
      uri = to.target().resolve(rest, query);
      upstream = to.client().method(Method.create(method)).skipUriEncoding(true).uri(uri);
    } catch (IllegalArgumentException e) {
      errors.badRequest(res, "The request target cannot be forwarded.", Optional.empty());
      return;
    }
    Map<String, List<String>> headers = ProxyHeaders.toUpstream(clientHeaders(req));
    Optional<Sent> sent = send(req, res, to, upstream, headers, chosen.get(), rest);
    if (sent.isEmpty()) {
      return; // answered already
    }
    HttpClientResponse answer = sent.get().answer();
    if (answer.status().code() == 401 && to.key() instanceof UpstreamCredential credential) {
      closeQuietly(answer, method, rest);
      // a token the upstream refused is dropped: the next one is exchanged afresh (once)
      sent.get().key().ifPresent(credential::rejected);
      if (!chosen.get().replayable()) {
        LOG.warn(
            "upstream {} /v1{} at {}: the upstream answered 401 to this gateway's token; it is"
                + " renewed, and the request (its body streamed, not kept) is not replayed",
            method,
            rest,
            to.name());
        res.header("x-should-retry", "true");
        fail(req, res, Failure.TOKEN_REFUSED, rest, to, "status 401, the token is renewed");
        return;
      }
      LOG.info(
          "upstream {} /v1{} at {}: the upstream answered 401 to this gateway's token; replaying"
              + " once with a renewed token",
          method,
          rest,
          to.name());
      Http1ClientRequest again =
          to.client().method(Method.create(method)).skipUriEncoding(true).uri(uri);
      sent = send(req, res, to, again, headers, chosen.get(), rest);
      if (sent.isEmpty()) {
        return;
      }
      answer = sent.get().answer();
    }
    if (answer.status().code() == 401) {
      // The upstream refused the operator's key, not the workload's token: passed through, a 401
      // makes the SDKs exchange again and retry for nothing, and blames the wrong credential.
      closeQuietly(answer, method, rest);
      res.header("x-should-retry", "false");
      fail(req, res, Failure.KEY_REFUSED, rest, to, "status 401");
      return;
    }
    Relayed relayed;
    UpstreamWait quiet = new UpstreamWait();
    try (IdleWatchdog.Watch idle = watchdog.watch(settings.idleTimeout(), quiet::fire)) {
      relayed = relay(answer, quiet, idle, req, res, call);
    } finally {
      closeQuietly(answer, method, rest); // also cuts the upstream exchange when it is not done
    }
    // The call ends here: relayed holds the status, the body bytes relayed and how it ended.
    ended(req, res, relayed, rest, to);
  }

  /**
   * Sets the headers and the upstream key on {@code upstream} and sends it with the chosen body.
   * Empty when the call failed here (the client has its 502/504): the key could not be obtained,
   * the upstream was not reached, or it did not answer in time.
   */
  private Optional<Sent> send(
      ServerRequest req,
      ServerResponse res,
      Destination to,
      Http1ClientRequest upstream,
      Map<String, List<String>> headers,
      Chosen chosen,
      String rest) {
    headers.forEach((name, values) -> header(upstream, name, values));
    Optional<String> key;
    try {
      key = to.key().current();
    } catch (UpstreamCredentialException e) {
      fail(req, res, Failure.NO_TOKEN, rest, to, e.reason(), e.reason());
      return Optional.empty();
    }
    key.ifPresent(k -> upstream.header(HeaderNames.AUTHORIZATION, BEARER + k));
    UpstreamWait firstByte = new UpstreamWait();
    HttpClientResponse answer;
    IdleWatchdog.Watch timer = watchdog.watch(settings.firstByteTimeout(), firstByte::fire);
    try {
      firstByte.enter();
      long sent = System.nanoTime();
      try {
        answer = chosen.body().send(upstream);
      } finally {
        firstByte.exit();
      }
      timing.answered(System.nanoTime() - sent);
    } catch (IOException | RuntimeException e) {
      timer.close();
      Failure failure =
          firstByte.fired()
              ? Failure.FIRST_BYTE_TIMEOUT
              : causedBy(e, SocketTimeoutException.class)
                  ? Failure.CONNECT_TIMEOUT
                  : Failure.UNREACHABLE;
      fail(req, res, failure, rest, to, describe(e));
      return Optional.empty();
    } finally {
      timer.close();
    }
    return Optional.of(new Sent(answer, key));
  }

  private static final String BEARER = "Bearer ";

  /** The upstream's answer (headers read) and the key it was sent with. */
  private record Sent(HttpClientResponse answer, Optional<String> key) {}

  /**
   * Where a request goes and the body it takes there.
   *
   * @param replayable whether the body can be sent a second time (none, or read into memory)
   */
  private record Chosen(Destination to, Body body, boolean replayable) {}

  /** Sends the request upstream with its body and returns the upstream's answer (headers read). */
  @FunctionalInterface
  private interface Body {
    HttpClientResponse send(Http1ClientRequest upstream) throws IOException;
  }

  /** No request body. */
  private static final Body NO_BODY = Http1ClientRequest::request;

  /**
   * Picks the destination. Without routes, or for anything but a JSON {@code POST}, that is {@code
   * --upstream} and the body streams. Otherwise the body is read (up to {@link
   * #ROUTING_BODY_LIMIT}) to find its top-level {@code "model"}, and sent on as read. Empty when
   * the request was answered here: 413 for a larger body (a model cannot be routed on what was not
   * read, and guessing could send it to the wrong server), 400 for a body that is not one JSON
   * object.
   */
  private Optional<Chosen> choose(
      ServerRequest req, ServerResponse res, String method, String rest) {
    if (routes.isEmpty() || !method.equals("POST") || !isJson(req)) {
      return Optional.of(
          fallback.key() instanceof UpstreamCredential
              ? kept(req)
              : new Chosen(fallback, body(req), false));
    }
    byte[] bytes;
    try {
      bytes = routingBody.read(req);
    } catch (BoundedBody.TooLarge e) {
      LOG.info(
          "{} /v1{} refused: a JSON body over {} bytes cannot be routed by model",
          method,
          rest,
          ROUTING_BODY_LIMIT);
      // Read (and drop) what is left of a moderately larger body before answering: closing with
      // unread bytes makes the kernel reset the connection, and the client may never see the 413.
      boolean unread = !drained(req, ROUTING_DRAIN_LIMIT);
      res.header(HeaderValues.CONNECTION_CLOSE);
      res.header("x-should-retry", "false");
      errors.write(
          res,
          413,
          OpenAiErrorWriter.INVALID_REQUEST,
          "Request body is larger than "
              + ROUTING_BODY_LIMIT
              + " bytes, the most this server reads to route a request by its model.",
          Optional.empty(),
          Optional.of("payload_too_large"));
      if (unread) {
        throw new CloseConnectionException("request body over the routing limit left unread");
      }
      return Optional.empty();
    } catch (UncheckedIOException e) {
      LOG.debug("{} /v1{}: the client stopped sending its body: {}", method, rest, e.toString());
      throw new CloseConnectionException("request body could not be read", e);
    }
    if (bytes.length == 0) {
      // POST .../cancel and the like: nothing to route on, nothing to refuse
      return Optional.of(new Chosen(fallback, NO_BODY, true));
    }
    Destination to =
        switch (RequestModel.of(bytes)) {
          case RequestModel.Named named ->
              UpstreamRoute.firstMatch(settings.routes(), named.model())
                  .map(routes::get)
                  .orElse(fallback);
          case RequestModel.Unnamed unnamed -> fallback;
          case RequestModel.Malformed malformed -> {
            errors.badRequest(
                res,
                "The request body must be one JSON object without duplicate members (this server"
                    + " reads its \"model\" to choose the upstream).",
                Optional.empty());
            yield null;
          }
        };
    if (to == null) {
      return Optional.empty();
    }
    LOG.debug("{} /v1{} goes to {}", method, rest, to.name());
    return Optional.of(new Chosen(to, bytesBody(bytes), true));
  }

  /**
   * For {@code --upstream} with a renewable token: a body with a {@code Content-Length} up to
   * {@link #ROUTING_BODY_LIMIT} is read into memory, so that the request can be replayed once with
   * a renewed token after a 401; a larger or chunked body streams as usual (and is not replayed).
   */
  private Chosen kept(ServerRequest req) {
    if (!req.content().hasEntity()) {
      return new Chosen(fallback, NO_BODY, true);
    }
    OptionalLong length = req.headers().contentLength();
    if (length.isEmpty() || length.getAsLong() > ROUTING_BODY_LIMIT) {
      return new Chosen(fallback, body(req), false);
    }
    try {
      return new Chosen(fallback, bytesBody(routingBody.read(req)), true);
    } catch (BoundedBody.TooLarge e) {
      // the client sent more than its Content-Length said; Helidon refuses that itself
      throw new CloseConnectionException("request body longer than its Content-Length", e);
    } catch (UncheckedIOException e) {
      throw new CloseConnectionException("request body could not be read", e);
    }
  }

  /** A body read into memory, sent with its length; it can be sent again. */
  private static Body bytesBody(byte[] bytes) {
    if (bytes.length == 0) {
      return NO_BODY;
    }
    return upstream ->
        upstream
            .header(HeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length))
            .outputStream(
                out -> {
                  out.write(bytes);
                  out.close();
                });
  }

  /** At most this many more bytes of a body over the routing limit are read and dropped. */
  static final int ROUTING_DRAIN_LIMIT = 16 * 1024 * 1024;

  /** Reads and drops the rest of the request body; false when more than {@code limit} is left. */
  private static boolean drained(ServerRequest req, long limit) {
    if (req.content().consumed()) {
      return true;
    }
    byte[] sink = new byte[BUFFER];
    long left = limit;
    try (InputStream in = req.content().inputStream()) {
      for (int n; (n = in.read(sink)) >= 0; ) {
        left -= n;
        if (left < 0) {
          return false;
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean isJson(ServerRequest req) {
    return req.headers()
        .first(HeaderNames.CONTENT_TYPE)
        .map(type -> type.split(";", 2)[0].strip().equalsIgnoreCase("application/json"))
        .orElse(false);
  }

  /** How a relayed upstream answer ended. */
  enum Ending {
    /** The upstream body ended and all of it reached the client. */
    COMPLETE,
    /** The client went away; the upstream answer was closed (cancelling it). */
    CLIENT_LEFT,
    /** Reading the upstream body failed (the upstream cut it). */
    UPSTREAM_FAILED,
    /** The upstream sent nothing for the idle timeout. */
    UPSTREAM_IDLE
  }

  /**
   * The result of relaying one upstream answer.
   *
   * @param status the upstream's status, as given to the client (unless nothing was sent yet and
   *     the ending is a failure: then the client gets 502 or 504 instead)
   * @param bodyBytes the body bytes written to the client
   * @param started whether the status and headers went to the client
   */
  record Relayed(int status, long bodyBytes, boolean started, Ending ending) {}

  /**
   * Copies the upstream answer to the client. The status and headers are given to the client with
   * the first body byte (or at the end of an empty body), so an upstream that fails or goes quiet
   * before any body byte still gets a clean 502/504. Every read is watched by {@code idle}.
   */
  private Relayed relay(
      HttpClientResponse answer,
      UpstreamWait quiet,
      IdleWatchdog.Watch idle,
      ServerRequest req,
      ServerResponse res,
      MeteredCall call) {
    int status = answer.status().code();
    Map<String, List<String>> headers =
        call.withRateLimitHeaders(ProxyHeaders.toClient(upstreamHeaders(answer)));
    call.requestId(answer.headers().first(X_REQUEST_ID));
    UsageTap tap = call.tap(answer.headers().first(HeaderNames.CONTENT_TYPE));
    if (status == 204 || status == 304 || req.prologue().method().text().equals("HEAD")) {
      start(res, status, headers);
      res.send();
      return new Relayed(status, 0, true, Ending.COMPLETE);
    }
    InputStream in = answer.inputStream();
    byte[] buffer = new byte[BUFFER];
    long relayed = 0;
    OutputStream out = null;
    while (true) {
      int n;
      try {
        quiet.enter();
        try {
          n = in.read(buffer);
        } finally {
          quiet.exit();
        }
      } catch (IOException | RuntimeException e) {
        Ending ending = idle.fired() ? Ending.UPSTREAM_IDLE : Ending.UPSTREAM_FAILED;
        return new Relayed(status, relayed, out != null, ending);
      }
      idle.touch();
      if (n < 0) {
        break;
      }
      try {
        if (out == null) {
          start(res, status, headers);
          out = res.outputStream();
        }
        // the response bytes flow here, read by read
        out.write(buffer, 0, n);
        out.flush();
        relayed += n;
        call.sent(n);
        tap.accept(buffer, 0, n);
      } catch (IOException | UncheckedIOException e) {
        LOG.debug("client left during an upstream response: {}", e.toString());
        return new Relayed(status, relayed, true, Ending.CLIENT_LEFT);
      }
      idle.touch(); // a slow client is not a quiet upstream
    }
    tap.end();
    try {
      if (out == null) {
        start(res, status, headers);
        res.send();
      } else {
        out.close();
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("client left at the end of an upstream response: {}", e.toString());
      return new Relayed(status, relayed, true, Ending.CLIENT_LEFT);
    }
    return new Relayed(status, relayed, true, Ending.COMPLETE);
  }

  private static void start(ServerResponse res, int status, Map<String, List<String>> headers) {
    res.status(status);
    headers.forEach((name, values) -> res.header(name, values.toArray(String[]::new)));
  }

  /**
   * Ends a relayed call: a failure before anything reached the client becomes a 502/504; after
   * that, the client's connection is cut (no end-of-body marker), so it sees a truncated answer,
   * never a complete one. One WARN line either way, without the body or a stack trace.
   */
  private void ended(
      ServerRequest req, ServerResponse res, Relayed relayed, String rest, Destination to) {
    if (relayed.ending() == Ending.COMPLETE || relayed.ending() == Ending.CLIENT_LEFT) {
      return;
    }
    Failure failure =
        relayed.ending() == Ending.UPSTREAM_IDLE ? Failure.IDLE_TIMEOUT : Failure.BODY_FAILED;
    String method = req.prologue().method().text();
    if (!relayed.started()) {
      fail(req, res, failure, rest, to, "before any body byte");
      return;
    }
    LOG.warn(
        "upstream {} /v1{} via {} {} after {} body bytes (status {}): the client's connection is"
            + " cut",
        method,
        rest,
        to.name(),
        failure.logText,
        relayed.bodyBytes(),
        relayed.status());
    throw new CloseConnectionException("upstream answer ended early");
  }

  /**
   * Closes an upstream answer: a body read to its end returns the connection to the pool; one not
   * read to its end closes the connection (unless its rest is already buffered), which ends the
   * upstream exchange.
   */
  private static void closeQuietly(HttpClientResponse answer, String method, String rest) {
    try {
      answer.close();
    } catch (RuntimeException e) {
      LOG.debug("closing the upstream body of {} /v1{}: {}", method, rest, e.toString());
    }
  }

  /**
   * The client's body, streamed: read from the client while it is written upstream, with its {@code
   * Content-Length} when it had one (chunked otherwise).
   */
  private static Body body(ServerRequest req) {
    if (!req.content().hasEntity()) {
      return NO_BODY;
    }
    OptionalLong length = req.headers().contentLength();
    if (length.isPresent() && length.getAsLong() == 0) {
      return NO_BODY;
    }
    return upstream -> {
      if (length.isPresent()) {
        upstream.header(HeaderNames.CONTENT_LENGTH, Long.toString(length.getAsLong()));
      }
      return upstream.outputStream(
          out -> {
            try (InputStream in = req.content().inputStream()) {
              in.transferTo(out);
            }
            out.close();
          });
    };
  }

  private static Map<String, List<String>> upstreamHeaders(HttpClientResponse answer) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Header header : answer.headers()) {
      headers.put(header.name(), header.allValues());
    }
    return headers;
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** The exception's class and its cause's: no message (it can name hosts, never secrets). */
  private static String describe(Throwable e) {
    Throwable cause = e.getCause();
    return cause == null
        ? e.getClass().getName()
        : e.getClass().getName() + " (" + cause.getClass().getName() + ")";
  }

  private static Map<String, List<String>> clientHeaders(ServerRequest req) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Header header : req.headers()) {
      headers.put(header.name(), header.allValues());
    }
    return headers;
  }

  private static void header(Http1ClientRequest upstream, String name, List<String> values) {
    try {
      upstream.header(HeaderValues.create(name, values));
    } catch (IllegalArgumentException e) {
      LOG.debug("header {} not forwarded: the HTTP client refuses it", name);
    }
  }

  /** Why the upstream call gave no usable answer; each is a 502 or a 504 for the client. */
  private enum Failure {
    CONNECT_TIMEOUT(
        504,
        "upstream_timeout",
        "The upstream API did not accept a connection in time.",
        "connect timeout"),
    FIRST_BYTE_TIMEOUT(
        504, "upstream_timeout", "The upstream API did not answer in time.", "first-byte timeout"),
    IDLE_TIMEOUT(
        504, "upstream_timeout", "The upstream API stopped sending its answer.", "idle timeout"),
    UNREACHABLE(
        502, "upstream_unreachable", "The upstream API could not be reached.", "unreachable"),
    INTERRUPTED(502, "upstream_unreachable", "The upstream call was interrupted.", "interrupted"),
    BODY_FAILED(
        502,
        "upstream_failed",
        "The upstream API failed while sending its answer.",
        "failed mid-body"),
    KEY_REFUSED(
        502,
        "upstream_unauthorized",
        "The upstream API refused this gateway's own credentials. Your access token is fine; the"
            + " operator must check the upstream API key.",
        "the upstream answered 401 to the gateway's key"),
    TOKEN_REFUSED(
        502,
        "upstream_unauthorized",
        "The upstream API refused this gateway's own token; the gateway has renewed it. Your"
            + " access token is fine; retry the request.",
        "the upstream answered 401 to the gateway's token"),
    NO_TOKEN(
        502,
        "upstream_unauthorized",
        "This gateway could not get its own credentials for the upstream API, so the request was"
            + " not sent. Your access token is fine; the operator must check the gateway's upstream"
            + " workload identity.",
        "no upstream token");

    final int status;
    final String code;
    final String message;
    final String logText;

    Failure(int status, String code, String message, String logText) {
      this.status = status;
      this.code = code;
      this.message = message;
      this.logText = logText;
    }
  }

  /**
   * Answers a {@link Failure} in OpenAI's error shape and logs one WARN line. When the client's
   * request body was not read to its end (the upstream was not reached, or stopped reading it), the
   * answer says {@code Connection: close} and the connection is closed after it, instead of reading
   * (and waiting for) the rest of the upload.
   */
  private void fail(
      ServerRequest req,
      ServerResponse res,
      Failure failure,
      String rest,
      Destination to,
      String detail) {
    fail(req, res, failure, rest, to, detail, "");
  }

  /**
   * As {@link #fail(ServerRequest, ServerResponse, Failure, String, Destination, String)}, with
   * {@code reason} (a line a client may see) added to the client's message when not empty.
   */
  private void fail(
      ServerRequest req,
      ServerResponse res,
      Failure failure,
      String rest,
      Destination to,
      String detail,
      String reason) {
    String method = req.prologue().method().text();
    LOG.warn(
        "upstream {} /v1{} at {} failed ({} {}): {}",
        method,
        rest,
        to.name(),
        failure.status,
        failure.logText,
        detail);
    boolean unreadBody = req.content().hasEntity() && !req.content().consumed();
    if (unreadBody) {
      res.header(HeaderValues.CONNECTION_CLOSE);
    }
    errors.write(
        res,
        failure.status,
        "server_error",
        reason.isEmpty() ? failure.message : failure.message + " Cause: " + reason,
        Optional.empty(),
        Optional.of(failure.code));
    if (unreadBody) {
      throw new CloseConnectionException("request body left unread after an upstream failure");
    }
  }

  /**
   * Stops the timer thread. Upstream calls run on the requests' own threads and end with them when
   * the server stops (a stopping server does not wait for streams).
   */
  @Override
  public void close() {
    watchdog.close();
  }
}
