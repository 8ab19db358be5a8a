package dev.openwif.server.infra;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * {@code GET /metrics}: the Prometheus text exposition (format 0.0.4). Unauthenticated on purpose,
 * like every Prometheus target: it holds no secret, token or subject (see {@link WifMetrics});
 * serve it on its own listener ({@code --metrics-address}) to keep it off the public port.
 */
public final class MetricsEndpoint implements Handler {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final WifMetrics metrics;

  public MetricsEndpoint(WifMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
    res.header(HeaderNames.CONTENT_TYPE, CONTENT_TYPE);
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.send(body);
  }
}
