package dev.openwif.server.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the {@code /v1} gateway answers from: the built-in demo model ({@link #demo()}, the
 * default), or an OpenAI-compatible API the requests are proxied to.
 *
 * @param target the upstream; empty for the demo model
 * @param apiKey sent upstream as {@code Authorization: Bearer}; {@link UpstreamKey#none()} sends no
 *     {@code Authorization} (a local server that needs no key). Never printed by {@link
 *     #toString()}
 * @param connectTimeout how long to wait for the upstream connection (then 504)
 * @param firstByteTimeout how long to wait for the upstream's response headers (then 504)
 * @param idleTimeout how long the upstream may send nothing once its headers came: before any body
 *     byte reached the client the answer is 504, after it the client's connection is cut
 * @param routes {@code --upstream-route}s, tried in order for requests whose JSON body names a
 *     model; their targets never get the API key
 */
public record GatewayUpstream(
    Optional<UpstreamTarget> target,
    UpstreamKey apiKey,
    Duration connectTimeout,
    Duration firstByteTimeout,
    Duration idleTimeout,
    List<UpstreamRoute> routes) {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_FIRST_BYTE_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(2);

  public GatewayUpstream {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(firstByteTimeout, "firstByteTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    routes = List.copyOf(routes);
    if (!connectTimeout.isPositive()
        || !firstByteTimeout.isPositive()
        || !idleTimeout.isPositive()) {
      throw new IllegalArgumentException("upstream timeouts must be positive");
    }
    if (target.isEmpty() && !routes.isEmpty()) {
      throw new IllegalArgumentException(
          "--upstream-route is given but the upstream is the demo model; give --upstream URL for"
              + " the models no route matches");
    }
    if (target.isEmpty() && apiKey.isSet()) {
      throw new IllegalArgumentException(
          "an upstream API key is set but the upstream is the demo model; give --upstream URL");
    }
  }

  /** The built-in demo model (no upstream). */
  public static GatewayUpstream demo() {
    return new GatewayUpstream(
        Optional.empty(),
        UpstreamKey.none(),
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_FIRST_BYTE_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT,
        List.of());
  }

  /** Proxies to {@code target} with the default timeouts and no key. */
  public static GatewayUpstream proxyingTo(UpstreamTarget target) {
    return new GatewayUpstream(
        Optional.of(target),
        UpstreamKey.none(),
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_FIRST_BYTE_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT,
        List.of());
  }

  /** Sends this fixed key upstream. */
  public GatewayUpstream withApiKey(String value) {
    return withApiKey(UpstreamKey.of(value));
  }

  public GatewayUpstream withApiKey(UpstreamKey value) {
    return new GatewayUpstream(
        target, value, connectTimeout, firstByteTimeout, idleTimeout, routes);
  }

  public GatewayUpstream withTimeouts(Duration connect, Duration firstByte) {
    return new GatewayUpstream(target, apiKey, connect, firstByte, idleTimeout, routes);
  }

  public GatewayUpstream withIdleTimeout(Duration idle) {
    return new GatewayUpstream(target, apiKey, connectTimeout, firstByteTimeout, idle, routes);
  }

  /** Routes requests by model ({@code --upstream-route}, in order). */
  public GatewayUpstream withRoutes(List<UpstreamRoute> value) {
    return new GatewayUpstream(
        target, apiKey, connectTimeout, firstByteTimeout, idleTimeout, value);
  }

  /** Never prints the API key. */
  @Override
  public String toString() {
    return "GatewayUpstream[target="
        + target.map(t -> t.base().toString()).orElse("demo")
        + ", apiKey="
        + (apiKey.isSet() ? "<set>" : "none")
        + ", connectTimeout="
        + connectTimeout
        + ", firstByteTimeout="
        + firstByteTimeout
        + ", idleTimeout="
        + idleTimeout
        + ", routes="
        + routes
        + "]";
  }
}
