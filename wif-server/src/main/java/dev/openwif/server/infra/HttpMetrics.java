package dev.openwif.server.infra;

import dev.openwif.server.http.RequestObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Every route's answers: {@code wif_http_requests_total{method,route,status}}, and for the {@code
 * /v1} gateway's routes (not the admin API under {@code /v1/organization}) {@code
 * wif_gateway_requests_total{route,status}}. Labels are route patterns and statuses, so the series
 * are bounded by the routes times the statuses they answer. A route's counter for a status is made
 * at its first answer with that status, then found by index: no allocation per request.
 * Thread-safe.
 */
public final class HttpMetrics implements RequestObserver {
  private final MeterRegistry registry;

  HttpMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Answered route(String method, String route) {
    boolean gateway = isGateway(route);
    AtomicReferenceArray<Counter> all = new AtomicReferenceArray<>(600);
    AtomicReferenceArray<Counter> gatewayOnly = new AtomicReferenceArray<>(gateway ? 600 : 0);
    return (status, nanos) -> {
      int index = status >= 100 && status < 600 ? status : 0;
      counter(all, index, "wif.http.requests", "method", method, route).increment();
      if (gateway) {
        counter(gatewayOnly, index, "wif.gateway.requests", null, null, route).increment();
      }
    };
  }

  static boolean isGateway(String route) {
    return (route.equals("/v1") || route.startsWith("/v1/"))
        && !route.startsWith("/v1/organization");
  }

  private Counter counter(
      AtomicReferenceArray<Counter> counters,
      int status,
      String name,
      @org.jspecify.annotations.Nullable String extraKey,
      @org.jspecify.annotations.Nullable String extraValue,
      String route) {
    Counter counter = counters.get(status);
    if (counter != null) {
      return counter;
    }
    Counter.Builder builder =
        Counter.builder(name).tag("route", route).tag("status", Integer.toString(status));
    if (extraKey != null && extraValue != null) {
      builder.tag(extraKey, extraValue);
    }
    counter =
        builder
            .description(
                name.equals("wif.gateway.requests")
                    ? "Requests answered by the /v1 gateway, by route pattern and status"
                    : "Requests answered, by method, route pattern and status")
            .register(registry);
    counters.compareAndSet(status, null, counter);
    return counters.get(status);
  }
}
