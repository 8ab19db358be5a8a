package dev.openwif.server.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Caps on the HTTP listener's connections, so that unauthenticated clients cannot hold the server's
 * sockets and threads: how many connections are open at once (more are answered 503 and closed),
 * how many requests run at once (more are answered 503), how long a client may take to send a
 * request's head (request line and headers; slow-loris), and how long a kept-alive connection may
 * stay idle between requests.
 *
 * @param maxConnections open client connections at most (default {@value #DEFAULT_MAX_CONNECTIONS})
 * @param maxConcurrentRequests requests being handled at once at most, streamed gateway answers
 *     included (default {@value #DEFAULT_MAX_CONCURRENT_REQUESTS})
 * @param headerTimeout how long a request's head may take, from the connection's start or the
 *     request's first byte (default 10 s)
 * @param idleTimeout how long a connection may wait for its next request, or a request body's next
 *     bytes (default 60 s)
 */
public record ConnectionLimits(
    int maxConnections, int maxConcurrentRequests, Duration headerTimeout, Duration idleTimeout) {
  public static final int DEFAULT_MAX_CONNECTIONS = 2048;
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 1024;
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  public ConnectionLimits {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
    }
    if (maxConcurrentRequests < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentRequests must be at least 1: " + maxConcurrentRequests);
    }
    positive("headerTimeout", headerTimeout);
    positive("idleTimeout", idleTimeout);
  }

  public static ConnectionLimits defaults() {
    return new ConnectionLimits(
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_MAX_CONCURRENT_REQUESTS,
        DEFAULT_HEADER_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT);
  }

  private static void positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
