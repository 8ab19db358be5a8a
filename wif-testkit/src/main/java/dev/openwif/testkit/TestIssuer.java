package dev.openwif.testkit;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A real OIDC issuer over HTTP on {@code 127.0.0.1:<random port>} (JDK {@code
 * com.sun.net.httpserver}): {@code /.well-known/openid-configuration}, {@code /jwks}, and {@code
 * /redirect/<n>} (a chain of n redirects ending at {@code /jwks}). It signs tokens with its current
 * RSA key and can be told to misbehave (down, status 500, slow, huge body, redirect, HTML) to test
 * fetchers and caches.
 *
 * <p>Thread-safe: tests may switch behaviour and rotate keys while requests are in flight.
 */
public final class TestIssuer implements AutoCloseable {
  private final List<JWK> published = new ArrayList<>();
  private final AtomicInteger jwksFetches = new AtomicInteger();
  private final AtomicInteger discoveryFetches = new AtomicInteger();
  private volatile RSAKey current;
  private volatile Behaviour behaviour = Behaviour.normal();
  private volatile Optional<String> discoveryIssuerOverride = Optional.empty();
  private volatile Optional<String> rawJwks = Optional.empty();
  // Both null while the issuer is down (between goDown() and comeBack()).
  private @Nullable HttpServer server;
  private @Nullable ExecutorService executor;

  private record Behaviour(String kind, int status, Duration delay, int bytes, String location) {
    static Behaviour normal() {
      return new Behaviour("normal", 200, Duration.ZERO, 0, "");
    }
  }

  private volatile int boundPort;

  private TestIssuer() {
    this.current = TestKeys.rsa();
    published.add(current);
  }

  /** Starts an issuer on a free loopback port. */
  public static TestIssuer start() {
    TestIssuer issuer = new TestIssuer();
    issuer.bind(0);
    return issuer;
  }

  private synchronized void bind(int wanted) {
    HttpServer bound;
    try {
      bound =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 50);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind test issuer", e);
    }
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    bound.setExecutor(threads);
    bound.createContext("/", this::handle);
    bound.start();
    server = bound;
    executor = threads;
    boundPort = bound.getAddress().getPort();
  }

  public int port() {
    return boundPort;
  }

  /**
   * {@code http://127.0.0.1:PORT}, exactly as in the discovery document and {@link
   * #standardClaims}.
   */
  public String issuer() {
    return "http://127.0.0.1:" + boundPort;
  }

  public String discoveryUrl() {
    return issuer() + "/.well-known/openid-configuration";
  }

  public String jwksUrl() {
    return issuer() + "/jwks";
  }

  /** A URL that answers with {@code hops} 302 redirects before reaching {@code /jwks}. */
  public String redirectChainUrl(int hops) {
    return issuer() + "/redirect/" + hops;
  }

  /** The public JWKS as served (when behaving normally). */
  public synchronized String jwksJson() {
    return new JWKSet(List.copyOf(published)).toPublicJWKSet().toString(false);
  }

  /** The current signing key, private part included. */
  public RSAKey currentKey() {
    return current;
  }

  /**
   * A token signed RS256 with the current key, header {@code alg, kid, typ}; the payload is exactly
   * {@code claims}.
   */
  public String token(Map<String, ?> claims) {
    return tokenBuilder().claims(claims).build();
  }

  /** A builder preset with the current key, for hostile or unusual tokens. */
  public TokenBuilder tokenBuilder() {
    return new TokenBuilder(current);
  }

  /**
   * {@code iss} (this issuer), {@code aud}, {@code sub: "test-subject"}, {@code iat} now, {@code
   * exp} now + lifetime. Mutable.
   */
  public Map<String, Object> standardClaims(String audience, Duration lifetime, Clock clock) {
    long now = clock.instant().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", issuer());
    claims.put("aud", audience);
    claims.put("sub", "test-subject");
    claims.put("iat", now);
    claims.put("exp", now + lifetime.toSeconds());
    return claims;
  }

  /** Makes a new RSA key current and removes the old one from the JWKS; returns the new key. */
  public synchronized RSAKey rotateKey() {
    RSAKey next = TestKeys.rsa();
    published.remove(current);
    published.add(next);
    current = next;
    return next;
  }

  /** Publishes another key (its public part) in the JWKS; it does not become current. */
  public synchronized void addKey(JWK key) {
    published.add(Objects.requireNonNull(key, "key"));
  }

  /** Removes the key with this kid from the JWKS. */
  public synchronized void removeKey(String kid) {
    published.removeIf(k -> kid.equals(k.getKeyID()));
  }

  /** How many requests reached {@code /jwks} (misbehaving answers included). */
  public int jwksFetchCount() {
    return jwksFetches.get();
  }

  public int discoveryFetchCount() {
    return discoveryFetches.get();
  }

  /**
   * Serves this text verbatim as the JWKS body (e.g. private keys, garbage). Cleared by {@link
   * #behaveNormally()}.
   */
  public void serveRawJwks(String body) {
    rawJwks = Optional.of(body);
  }

  /**
   * Writes this value as {@code issuer} in the discovery document (mismatch tests). Cleared by
   * {@link #behaveNormally()}.
   */
  public void serveDiscoveryIssuer(String value) {
    discoveryIssuerOverride = Optional.of(value);
  }

  /** Discovery and JWKS answer with this HTTP status and a small JSON error body. */
  public void respondWithStatus(int status) {
    behaviour = new Behaviour("status", status, Duration.ZERO, 0, "");
  }

  /** Discovery and JWKS wait this long before answering normally. */
  public void respondSlowly(Duration delay) {
    behaviour = new Behaviour("slow", 200, delay, 0, "");
  }

  /**
   * Discovery and JWKS answer 200 {@code application/json} with a body of this many bytes
   * (streamed).
   */
  public void respondHuge(int bytes) {
    behaviour = new Behaviour("huge", 200, Duration.ZERO, bytes, "");
  }

  /** Discovery and JWKS answer 302 to this location. */
  public void redirectTo(String location) {
    behaviour = new Behaviour("redirect", 302, Duration.ZERO, 0, location);
  }

  /** Discovery and JWKS answer 200 with an HTML page ({@code text/html}). */
  public void respondWithHtml() {
    behaviour = new Behaviour("html", 200, Duration.ZERO, 0, "");
  }

  /** Back to normal answers (also clears raw JWKS and discovery issuer overrides). */
  public void behaveNormally() {
    behaviour = Behaviour.normal();
    rawJwks = Optional.empty();
    discoveryIssuerOverride = Optional.empty();
  }

  /** Stops listening: connections are refused until {@link #comeBack()}. */
  public synchronized void goDown() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }

  /** Listens again on the same port. */
  public synchronized void comeBack() {
    if (server == null) {
      bind(boundPort);
    }
  }

  @Override
  public void close() {
    goDown();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.startsWith("/redirect/")) {
        redirectChain(exchange, path);
        return;
      }
      boolean jwks = path.equals("/jwks");
      boolean discovery = path.equals("/.well-known/openid-configuration");
      if (!jwks && !discovery) {
        send(exchange, 404, "application/json", "{\"error\":\"not_found\"}");
        return;
      }
      (jwks ? jwksFetches : discoveryFetches).incrementAndGet();
      if (!misbehave(exchange)) {
        send(
            exchange,
            200,
            "application/json",
            jwks ? rawJwks.orElseGet(this::jwksJson) : discoveryDocument());
      }
    } catch (IOException e) {
      // The client went away (e.g. it hit its timeout or size cap): nothing to answer.
    }
  }

  /** Applies the current misbehaviour; true when the answer has been sent. */
  private boolean misbehave(HttpExchange exchange) throws IOException {
    Behaviour b = behaviour;
    switch (b.kind()) {
      case "status" ->
          send(exchange, b.status(), "application/json", "{\"error\":\"server_error\"}");
      case "slow" -> {
        sleep(b.delay());
        return false;
      }
      case "huge" -> sendHuge(exchange, b.bytes());
      case "redirect" -> {
        exchange.getResponseHeaders().set("Location", b.location());
        exchange.sendResponseHeaders(302, -1);
      }
      case "html" ->
          send(
              exchange,
              200,
              "text/html; charset=utf-8",
              "<!doctype html><html><body>Sign in</body></html>");
      default -> {
        return false;
      }
    }
    return true;
  }

  private void redirectChain(HttpExchange exchange, String path) throws IOException {
    int hops;
    try {
      hops = Integer.parseInt(path.substring("/redirect/".length()));
    } catch (NumberFormatException e) {
      send(exchange, 400, "application/json", "{\"error\":\"bad hop count\"}");
      return;
    }
    String next = hops <= 1 ? "/jwks" : "/redirect/" + (hops - 1);
    exchange.getResponseHeaders().set("Location", issuer() + next);
    exchange.sendResponseHeaders(302, -1);
  }

  private String discoveryDocument() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", discoveryIssuerOverride.orElseGet(this::issuer));
    doc.put("jwks_uri", jwksUrl());
    doc.put("response_types_supported", List.of("id_token"));
    doc.put("subject_types_supported", List.of("public"));
    doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
    return JSONObjectUtils.toJSONString(doc);
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void sendHuge(HttpExchange exchange, int bytes) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(
        200, 0); // chunked: no length announced, like a hostile server would
    byte[] chunk = new byte[8192];
    java.util.Arrays.fill(chunk, (byte) ' ');
    try (OutputStream out = exchange.getResponseBody()) {
      out.write('{');
      int written = 1;
      while (written < bytes - 1) {
        int n = Math.min(chunk.length, bytes - 1 - written);
        out.write(chunk, 0, n);
        written += n;
      }
      out.write('}');
    }
  }

  private static void sleep(Duration delay) {
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
