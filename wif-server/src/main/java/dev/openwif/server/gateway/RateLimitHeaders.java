package dev.openwif.server.gateway;

import dev.openwif.server.gateway.ServiceAccountRateLimiter.Decision;
import dev.openwif.server.gateway.ServiceAccountRateLimiter.LimitState;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI's rate-limit headers for a {@link Decision}: {@code x-ratelimit-limit-requests}, {@code
 * x-ratelimit-remaining-requests}, {@code x-ratelimit-reset-requests} and the same three for {@code
 * tokens}, each only for a limit the service account has; a refusal adds {@code retry-after} (whole
 * seconds, at least 1) and {@code retry-after-ms}, which the SDKs honour. Resets are written as
 * OpenAI writes them ({@link #duration}: {@code 120ms}, {@code 20s}, {@code 6m0s}). Stateless.
 */
final class RateLimitHeaders {
  private RateLimitHeaders() {}

  /** The headers for {@code decision}, in a stable order. */
  static Map<String, String> of(Decision decision) {
    Map<String, String> headers = new LinkedHashMap<>();
    put(headers, "requests", decision.requests());
    put(headers, "tokens", decision.tokens());
    if (!decision.admitted()) {
      long millis = Math.max(1, ceilMillis(decision.retryAfter()));
      headers.put("retry-after", Long.toString(Math.max(1, (millis + 999) / 1000)));
      headers.put("retry-after-ms", Long.toString(millis));
    }
    return headers;
  }

  private static void put(Map<String, String> headers, String kind, Optional<LimitState> state) {
    state.ifPresent(
        s -> {
          headers.put("x-ratelimit-limit-" + kind, Long.toString(s.limit()));
          headers.put("x-ratelimit-remaining-" + kind, Long.toString(s.remaining()));
          headers.put("x-ratelimit-reset-" + kind, duration(s.reset()));
        });
  }

  /**
   * A duration as OpenAI's headers write it (Go's notation, to the millisecond, rounded up): {@code
   * 0s}, {@code 120ms}, {@code 1s}, {@code 17.142s}, {@code 6m0s}, {@code 1h0m0s}.
   */
  static String duration(Duration d) {
    long millis = ceilMillis(d);
    if (millis <= 0) {
      return "0s";
    }
    if (millis < 1000) {
      return millis + "ms";
    }
    StringBuilder out = new StringBuilder();
    long hours = millis / 3_600_000;
    long minutes = millis / 60_000 % 60;
    long seconds = millis / 1000 % 60;
    long fraction = millis % 1000;
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      out.append(minutes).append('m');
    }
    out.append(seconds);
    if (fraction > 0) {
      String digits = String.format("%03d", fraction);
      out.append('.').append(digits.replaceFirst("0+$", ""));
    }
    return out.append('s').toString();
  }

  private static long ceilMillis(Duration d) {
    if (d.isNegative()) {
      return 0;
    }
    long millis = d.toMillis();
    return d.minusMillis(millis).isZero() ? millis : millis + 1;
  }
}
