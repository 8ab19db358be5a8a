package dev.openwif.server.infra;

import dev.openwif.oidc.FetchedDocument;
import dev.openwif.oidc.JwksFetcher;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.DnsAddressLookup;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.spi.DnsResolver;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Fetches discovery documents and JWKS over Helidon's HTTP/1.1 client, defensively: every URL (the
 * first and each redirect target) passes the {@link OutboundUrlGuard}, whose checked address is the
 * only one the connection may use (the client's DNS resolver answers it and nothing else, so a DNS
 * answer that changes after the check cannot send the request elsewhere; the URL's host name stays
 * the TLS server name and the name the certificate is verified against); no proxy is ever used,
 * whatever the JVM's proxy settings (a proxy makes the connection itself, from its own place in the
 * network): the client is told to use none instead of the system's HTTP proxy, and when the JVM's
 * settings would route the socket through a SOCKS proxy ({@link JvmSocksProxy}) the fetch is
 * refused; redirects are followed by hand, at most 3; the connection must open within the connect
 * timeout and the whole fetch, DNS lookups, redirects and body included, must finish within the
 * total timeout (the caller is released at that deadline even when the system resolver still
 * waits); the body is read up to a cap and refused beyond it. Sends {@code Accept:
 * application/json}; no connection is kept alive. Thread-safe.
 */
public final class HttpJwksFetcher implements JwksFetcher {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
  public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_MAX_BODY_BYTES = 512 * 1024;
  static final int MAX_REDIRECTS = 3;

  private final OutboundUrlGuard guard;
  private final Duration connectTimeout;
  private final Duration totalTimeout;
  private final int maxBodyBytes;

  /**
   * Runs each step (the guard's DNS lookup and check, then the request) so that the caller's wait
   * is bounded by the deadline whatever it blocks on.
   */
  private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();

  public HttpJwksFetcher(OutboundUrlGuard guard) {
    this(guard, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TOTAL_TIMEOUT, DEFAULT_MAX_BODY_BYTES);
  }

  public HttpJwksFetcher(
      OutboundUrlGuard guard, Duration connectTimeout, Duration totalTimeout, int maxBodyBytes) {
    this.guard = Objects.requireNonNull(guard, "guard");
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    this.totalTimeout = Objects.requireNonNull(totalTimeout, "totalTimeout");
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be positive");
    }
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public FetchedDocument fetch(URI uri) throws IOException {
    Instant deadline = Instant.now().plus(totalTimeout);
    URI current = uri;
    for (int redirects = 0; ; redirects++) {
      Answer answer = send(current, deadline);
      if (isRedirect(answer.status()) && answer.location().isPresent()) {
        if (redirects == MAX_REDIRECTS) {
          throw new IOException("more than " + MAX_REDIRECTS + " redirects starting at " + uri);
        }
        current = resolve(current, answer.location().get());
        continue;
      }
      return new FetchedDocument(answer.status(), answer.contentType(), answer.body());
    }
  }

  /** What one request answered. */
  private record Answer(int status, String contentType, Optional<String> location, String body) {}

  /**
   * Checks the URL (resolving its host) and requests it, both within what is left before the
   * deadline: a slow DNS answer counts against the same deadline as the request.
   */
  private Answer send(URI uri, Instant deadline) throws IOException {
    Duration remaining = Duration.between(Instant.now(), deadline);
    if (remaining.isNegative() || remaining.isZero()) {
      throw tookTooLong(uri, null);
    }
    AtomicBoolean resolved = new AtomicBoolean();
    Future<Answer> future =
        requests.submit(
            () -> {
              List<InetAddress> checked = guard.checkedAddresses(uri);
              resolved.set(true);
              return request(uri, checked.getFirst(), deadline);
            });
    try {
      return future.get(remaining.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw resolved.get() ? tookTooLong(uri, null) : dnsTimedOut(uri);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + uri);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof IOException io && io.getMessage() != null) {
        throw io;
      }
      if (isTimeout(cause)) {
        // the socket's read timeout is the same deadline; which one fires first is a race
        throw tookTooLong(uri, cause);
      }
      String message =
          cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
      throw new IOException("fetching " + uri + " failed: " + message, cause);
    }
  }

  /**
   * One request on a client that can only connect, directly, to {@code pinned}, read up to the body
   * cap.
   */
  private Answer request(URI uri, InetAddress pinned, Instant deadline) throws IOException {
    int port =
        uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    Optional<java.net.SocketAddress> socks = JvmSocksProxy.routeFor(pinned, port);
    if (socks.isPresent()) {
      throw new IOException(
          "refused to fetch "
              + uri
              + ": the JVM's proxy settings (socksProxyHost or the default ProxySelector) would send"
              + " the connection through the SOCKS proxy "
              + socks.get()
              + "; issuer fetches connect only directly, to the address the SSRF guard checked");
    }
    Duration remaining = Duration.between(Instant.now(), deadline);
    if (remaining.isNegative() || remaining.isZero()) {
      throw tookTooLong(uri, null);
    }
    Http1Client client =
        Http1Client.builder()
            .connectTimeout(connectTimeout.compareTo(remaining) < 0 ? connectTimeout : remaining)
            .readTimeout(remaining)
            .followRedirects(false)
            .sendExpectContinue(false)
            .shareConnectionCache(false)
            .dnsResolver(new PinnedResolver(pinned))
            // Helidon's default is the system proxy: a proxy would reach the host on its own
            .proxy(Proxy.noProxy())
            .build();
    try (HttpClientResponse response =
        client
            .get()
            .uri(uri)
            .keepAlive(false)
            .header(HeaderNames.ACCEPT, "application/json")
            .request()) {
      int status = response.status().code();
      String contentType = response.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
      Optional<String> location = response.headers().first(HeaderNames.LOCATION);
      if (isRedirect(status) && location.isPresent()) {
        return new Answer(status, contentType, location, "");
      }
      if (response.headers().contentLength().orElse(0) > maxBodyBytes) {
        throw tooLarge(uri);
      }
      return new Answer(
          status,
          contentType,
          location,
          new String(readCapped(uri, response), StandardCharsets.UTF_8));
    } finally {
      client.closeResource();
    }
  }

  private byte[] readCapped(URI uri, HttpClientResponse response) throws IOException {
    try (InputStream in = response.inputStream()) {
      byte[] body = in.readNBytes(maxBodyBytes + 1);
      if (body.length > maxBodyBytes) {
        throw tooLarge(uri);
      }
      return body;
    }
  }

  private IOException tooLarge(URI uri) {
    return new IOException(
        "the answer from " + uri + " is larger than " + maxBodyBytes + " bytes; refused");
  }

  private IOException tookTooLong(URI uri, @Nullable Throwable cause) {
    return new IOException(
        "fetching " + uri + " took longer than " + totalTimeout.toMillis() + " ms", cause);
  }

  private IOException dnsTimedOut(URI uri) {
    return new IOException(
        "fetching "
            + uri
            + " took longer than "
            + totalTimeout.toMillis()
            + " ms: the DNS lookup of "
            + uri.getHost()
            + " timed out");
  }

  private static boolean isTimeout(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.net.SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** Answers the address the guard checked, whatever the name: the connection goes nowhere else. */
  private record PinnedResolver(InetAddress pinned) implements DnsResolver {
    @Override
    public InetAddress resolveAddress(String hostname, DnsAddressLookup lookup) {
      return pinned;
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
