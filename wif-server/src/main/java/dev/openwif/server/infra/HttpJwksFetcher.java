package dev.openwif.server.infra;

import dev.openwif.oidc.FetchedDocument;
import dev.openwif.oidc.JwksFetcher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches discovery documents and JWKS over {@code java.net.http}, defensively: every URL (the
 * first and each redirect target) passes the {@link OutboundUrlGuard}; redirects are followed by
 * hand, at most 3; the connection must open within the connect timeout and the whole fetch,
 * redirects and body included, must finish within the total timeout; the body is read up to a cap
 * and refused beyond it. Sends {@code Accept: application/json}. Thread-safe (one shared {@link
 * HttpClient}).
 */
public final class HttpJwksFetcher implements JwksFetcher {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
  public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_MAX_BODY_BYTES = 512 * 1024;
  static final int MAX_REDIRECTS = 3;

  private final OutboundUrlGuard guard;
  private final Duration totalTimeout;
  private final int maxBodyBytes;
  private final HttpClient client;

  public HttpJwksFetcher(OutboundUrlGuard guard) {
    this(guard, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TOTAL_TIMEOUT, DEFAULT_MAX_BODY_BYTES);
  }

  public HttpJwksFetcher(
      OutboundUrlGuard guard, Duration connectTimeout, Duration totalTimeout, int maxBodyBytes) {
    this.guard = Objects.requireNonNull(guard, "guard");
    this.totalTimeout = Objects.requireNonNull(totalTimeout, "totalTimeout");
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be positive");
    }
    this.maxBodyBytes = maxBodyBytes;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(Objects.requireNonNull(connectTimeout, "connectTimeout"))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  @Override
  public FetchedDocument fetch(URI uri) throws IOException {
    Instant deadline = Instant.now().plus(totalTimeout);
    URI current = uri;
    for (int redirects = 0; ; redirects++) {
      guard.check(current);
      HttpResponse<byte[]> response = send(current, deadline);
      Optional<String> location = response.headers().firstValue("Location");
      if (isRedirect(response.statusCode()) && location.isPresent()) {
        if (redirects == MAX_REDIRECTS) {
          throw new IOException("more than " + MAX_REDIRECTS + " redirects starting at " + uri);
        }
        current = resolve(current, location.get());
        continue;
      }
      String contentType = response.headers().firstValue("Content-Type").orElse("");
      return new FetchedDocument(
          response.statusCode(), contentType, new String(response.body(), StandardCharsets.UTF_8));
    }
  }

  private HttpResponse<byte[]> send(URI uri, Instant deadline) throws IOException {
    Duration remaining = Duration.between(Instant.now(), deadline);
    if (remaining.isNegative() || remaining.isZero()) {
      throw new IOException(
          "fetching " + uri + " took longer than " + totalTimeout.toMillis() + " ms");
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .GET()
            .header("Accept", "application/json")
            .timeout(remaining)
            .build();
    CompletableFuture<HttpResponse<byte[]>> future =
        client.sendAsync(
            request,
            info -> {
              long announced = info.headers().firstValueAsLong("Content-Length").orElse(-1);
              if (announced > maxBodyBytes) {
                return new BoundedBodySubscriber(
                    0); // fails on the first byte: refuse without reading
              }
              return new BoundedBodySubscriber(maxBodyBytes);
            });
    try {
      return future.get(remaining.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new IOException(
          "fetching " + uri + " took longer than " + totalTimeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + uri);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof java.net.http.HttpTimeoutException
          && !(cause instanceof java.net.http.HttpConnectTimeoutException)) {
        // the request's own timeout is the same deadline; which one fires first is a race
        throw new IOException(
            "fetching " + uri + " took longer than " + totalTimeout.toMillis() + " ms", cause);
      }
      String message =
          cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
      throw new IOException("fetching " + uri + " failed: " + message, cause);
    }
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static URI resolve(URI base, String location) throws IOException {
    try {
      return base.resolve(new URI(location.trim()));
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      throw new IOException("redirect to an invalid location from " + base);
    }
  }
}
