package dev.openwif.server.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per answered request on the logger {@value #LOGGER} (turn it off there without
 * losing other logs): method, route pattern, status, duration and request id. The route is the
 * registered pattern ({@code /v1/organization/projects/{project_id}}), never the request's path or
 * query, so no token, secret or identifier a client put in a URL reaches the log. Stateless and
 * thread-safe.
 */
public final class RequestLog {
  public static final String LOGGER = "openwif.requests";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private RequestLog() {}

  /** {@code nanos} as milliseconds with three decimals, without a formatter. */
  static String millis(long nanos) {
    long micros = Math.max(0, nanos) / 1000;
    long fraction = micros % 1000;
    return (micros / 1000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
  }

  static void write(String method, String route, int status, long nanos, String requestId) {
    if (LOG.isInfoEnabled()) {
      LOG.info(
          "method={} route={} status={} duration_ms={} request_id={}",
          method,
          route,
          status,
          millis(nanos),
          requestId);
    }
  }
}
