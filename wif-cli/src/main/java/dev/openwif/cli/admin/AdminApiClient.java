package dev.openwif.cli.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The OpenWIF admin API ({@code /v1/organization/...}) over {@code java.net.http}: each call sends
 * {@code Authorization: Bearer <admin key>}, reads the JSON answer and returns it parsed. A non-2xx
 * answer is an {@link AdminApiException} carrying the status and the server's own message (from its
 * {@code {"error": {"message", "code", "param"}}} body); a connection failure, a timeout, a failed
 * TLS handshake or a non-JSON success is an {@link AdminApiUnreachableException}. Updates in this
 * API are {@code POST}s to the object's path (OpenAI's admin API shape), so there is no PATCH.
 *
 * <p>The admin key is never sent in clear text over the network: a plain {@code http://} server is
 * accepted only on a loopback address. Redirects are not followed (the key goes only where it was
 * told to go). Thread-safe: one instance may serve many calls at once.
 */
public final class AdminApiClient {
  /** The path every admin route lives under. */
  public static final String PREFIX = "/v1/organization";

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final URI server;
  private final String adminKey;
  private final Duration requestTimeout;
  private final HttpClient http;

  /**
   * A client for the server at {@code server} (its base URL, as {@link #serverUrl(String)} checks
   * it).
   *
   * @param tls the trust for an {@code https} server with a certificate the JDK does not trust (a
   *     self-signed one), or empty for the JDK's default trust
   * @throws IllegalArgumentException when the URL is not one {@link #serverUrl(String)} accepts or
   *     the key is blank
   */
  public AdminApiClient(
      String server,
      String adminKey,
      Optional<SSLContext> tls,
      Duration connectTimeout,
      Duration requestTimeout) {
    this.server = serverUrl(server);
    if (adminKey.isBlank()) {
      throw new IllegalArgumentException("the admin key is empty");
    }
    this.adminKey = adminKey.strip();
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER);
    tls.ifPresent(builder::sslContext);
    this.http = builder.build();
  }

  /** A client with the default timeouts and the JDK's trust. */
  public AdminApiClient(String server, String adminKey) {
    this(server, adminKey, Optional.empty(), DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
  }

  /** The server's base URL (no trailing slash). */
  public URI server() {
    return server;
  }

  /** The Jackson mapper the client parses with, for callers that build request bodies. */
  public static ObjectMapper json() {
    return JSON;
  }

  /** {@code GET /v1/organization{path}}. */
  public JsonNode get(String path) {
    return send("GET", path, Optional.empty());
  }

  /**
   * {@code GET /v1/organization{path}?query}; each value is percent-encoded, entries in the map's
   * order.
   */
  public JsonNode get(String path, Map<String, String> query) {
    if (query.isEmpty()) {
      return get(path);
    }
    StringJoiner joined = new StringJoiner("&", "?", "");
    query.forEach((name, value) -> joined.add(encode(name) + "=" + encode(value)));
    return get(path + joined);
  }

  /** {@code POST /v1/organization{path}} with {@code body} as JSON (creations and updates). */
  public JsonNode post(String path, JsonNode body) {
    return send("POST", path, Optional.of(body));
  }

  /** {@code DELETE /v1/organization{path}}. */
  public JsonNode delete(String path) {
    return send("DELETE", path, Optional.empty());
  }

  /**
   * {@code id} as one path segment: percent-encoded, so an id with a {@code /} or {@code ?} cannot
   * reach another route.
   */
  public static String segment(String id) {
    return encode(id).replace("+", "%20");
  }

  /**
   * Sends {@code method} to {@code /v1/organization{path}} with an optional JSON body and returns
   * the parsed answer.
   *
   * @throws AdminApiException when the server answers other than 2xx
   * @throws AdminApiUnreachableException when no answer came, or the answer is not JSON
   */
  public JsonNode send(String method, String path, Optional<JsonNode> body) {
    return call(method, path, body, Optional.empty()).body();
  }

  /** A parsed answer and its entity tag ({@code ETag}), when the server gave one. */
  public record Answer(JsonNode body, Optional<String> etag) {}

  /**
   * As {@link #send}, with {@code If-Match: ifMatch} when given (the server then applies a write
   * only while the object still has that entity tag, and answers 412 otherwise), keeping the
   * answer's {@code ETag}.
   *
   * @throws AdminApiException when the server answers other than 2xx
   * @throws AdminApiUnreachableException when no answer came, or the answer is not JSON
   */
  public Answer call(
      String method, String path, Optional<JsonNode> body, Optional<String> ifMatch) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/': " + path);
    }
    String what = method + " " + PREFIX + path.replaceFirst("\\?.*", "");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server + PREFIX + path))
            .timeout(requestTimeout)
            .header("Authorization", "Bearer " + adminKey)
            .header("Accept", "application/json");
    ifMatch.ifPresent(tag -> request.header("If-Match", tag));
    if (body.isPresent()) {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(write(body.get())));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> response = exchange(what, request.build());
    int status = response.statusCode();
    if (status / 100 != 2) {
      throw refusal(response);
    }
    try {
      return new Answer(JSON.readTree(response.body()), response.headers().firstValue("ETag"));
    } catch (JsonProcessingException e) {
      throw new AdminApiUnreachableException(
          what
              + " at "
              + server
              + " answered "
              + status
              + " with a body that is not JSON: is "
              + server
              + " an OpenWIF server?",
          e);
    }
  }

  private HttpResponse<String> exchange(String what, HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      throw new AdminApiUnreachableException(
          "cannot reach " + server + ": no connection within the connect timeout", e);
    } catch (HttpTimeoutException e) {
      throw new AdminApiUnreachableException(
          what + " at " + server + ": no answer within " + requestTimeout.toSeconds() + " s", e);
    } catch (SSLException e) {
      throw new AdminApiUnreachableException(
          "TLS with "
              + server
              + " failed ("
              + e.getMessage()
              + "); for a self-signed server certificate give --cacert FILE",
          e);
    } catch (IOException e) {
      throw new AdminApiUnreachableException("cannot reach " + server + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AdminApiUnreachableException(what + " was interrupted", e);
    }
  }

  /** An IOException in a few words: java.net.http's ConnectException has no message. */
  private static String describe(IOException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.net.ConnectException) {
        return cause.getMessage() == null ? "connection refused" : cause.getMessage();
      }
    }
    Throwable cause = e;
    while (cause.getMessage() == null && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof SSLException) {
      return "TLS failed (" + cause.getMessage() + "); for a self-signed certificate give --cacert";
    }
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }

  private AdminApiException refusal(HttpResponse<String> response) {
    int status = response.statusCode();
    if (status / 100 == 3) {
      return new AdminApiException(
          status,
          server
              + " redirected (status "
              + status
              + ") to "
              + response.headers().firstValue("location").orElse("nowhere")
              + "; give the final URL as --server",
          Optional.empty(),
          Optional.empty());
    }
    JsonNode error;
    try {
      error = JSON.readTree(response.body()).path("error");
    } catch (JsonProcessingException e) {
      error = JSON.missingNode();
    }
    String message = error.path("message").asText("");
    if (message.isBlank()) {
      message = "the server answered " + status + " without an OpenWIF error message";
    }
    return new AdminApiException(status, message, text(error, "code"), text(error, "param"));
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }

  private static String write(JsonNode body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode the request body: " + e.getMessage(), e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /**
   * Checks a server base URL: {@code https://host[:port][/path]}, or {@code http://} on a loopback
   * address only (the admin key must not cross a network in clear text); no query, fragment or user
   * info. A trailing slash is dropped.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static URI serverUrl(String text) {
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("server URL " + text + " is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IllegalArgumentException(
          "server URL " + text + " must start with https:// (or http:// on this machine)");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("server URL " + text + " must name a host");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "server URL " + text + " must not have a query or fragment");
    }
    if (scheme.equals("http") && !isLoopback(uri.getHost())) {
      throw new IllegalArgumentException(
          "server URL "
              + text
              + " is plain http to another machine: the admin key would cross the network in"
              + " clear text; use https");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }

  private static boolean isLoopback(String host) {
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (bare.equalsIgnoreCase("localhost")) {
      return true;
    }
    // only literal addresses: a name is not resolved (its answer could change before the request)
    if (!bare.matches("[0-9.]+") && !bare.contains(":")) {
      return false;
    }
    try {
      return InetAddress.getByName(bare).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
