package dev.openwif.server.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Gives every request an id, in the logging context ({@link MDC} key {@value #MDC_KEY}) while it is
 * handled, so that every log line it causes, its access-log line included, carries it. The id is
 * the request's {@code X-Request-Id} when that is 1 to 64 letters, digits, {@code .}, {@code _},
 * {@code :} or {@code -} (set by a proxy in front), else 16 random hex digits. Stateless and
 * thread-safe.
 */
public final class RequestIds implements Filter {
  public static final String MDC_KEY = "request_id";

  private static final HeaderName X_REQUEST_ID = HeaderNames.create("X-Request-Id");
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    MDC.put(MDC_KEY, idOf(req.headers().first(X_REQUEST_ID)));
    try {
      chain.proceed();
    } finally {
      MDC.remove(MDC_KEY);
    }
  }

  /** The id of the request being handled on this thread, or {@code -} outside one. */
  public static String current() {
    String id = MDC.get(MDC_KEY);
    return id == null ? "-" : id;
  }

  static String idOf(Optional<String> header) {
    if (header.isPresent() && ACCEPTED.matcher(header.get()).matches()) {
      return header.get();
    }
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }
}
