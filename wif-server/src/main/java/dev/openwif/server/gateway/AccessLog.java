package dev.openwif.server.gateway;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per {@code /v1} call the gateway metered, on the logger {@value #LOGGER}, as {@code
 * key=value} pairs: method, path (without the query), status, duration in milliseconds, project,
 * service account, identity provider, model, input and output tokens, bytes sent to the client and
 * the upstream's {@code x-request-id}. Never a token, a key, a header value other than the request
 * id, a query or a body. Values from the request or the upstream (path, model, request id) are cut
 * to {@value #MAX_VALUE} characters with control characters, spaces, quotes and {@code =} replaced
 * by {@code _}, so a line cannot be forged or split. Stateless and thread-safe.
 */
final class AccessLog {
  static final String LOGGER = "openwif.access";
  static final int MAX_VALUE = 200;

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private AccessLog() {}

  /** One finished call. */
  record Entry(
      String method,
      String path,
      int status,
      long durationMillis,
      String projectId,
      String serviceAccountId,
      String providerId,
      Optional<String> model,
      long inputTokens,
      long outputTokens,
      long bytesOut,
      Optional<String> requestId) {}

  static void write(Entry e) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    LOG.info(
        "method={} path={} status={} duration_ms={} project={} service_account={} provider={}"
            + " model={} input_tokens={} output_tokens={} bytes_out={} request_id={}",
        clean(e.method()),
        clean(e.path()),
        e.status(),
        e.durationMillis(),
        clean(e.projectId()),
        clean(e.serviceAccountId()),
        clean(e.providerId()),
        e.model().filter(m -> !m.isEmpty()).map(AccessLog::clean).orElse("-"),
        e.inputTokens(),
        e.outputTokens(),
        e.bytesOut(),
        e.requestId().map(AccessLog::clean).orElse("-"));
  }

  /** {@code value} safe for one {@code key=value} pair. */
  static String clean(String value) {
    if (value.isEmpty()) {
      return "-";
    }
    int n = Math.min(value.length(), MAX_VALUE);
    StringBuilder out = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      out.append(
          c <= 0x20
                  || c == 0x7f
                  || c == '"'
                  || c == '='
                  || c == '\u2028'
                  || c == '\u2029'
                  || c == 0x85
              ? '_'
              : c);
    }
    return out.toString();
  }
}
