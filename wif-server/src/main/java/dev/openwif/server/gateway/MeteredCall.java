package dev.openwif.server.gateway;

import dev.openwif.federation.ServiceAccountRateLimits;
import dev.openwif.token.VerifiedAccessToken;
import dev.openwif.usage.UsageCounter;
import dev.openwif.usage.UsageCounts;
import dev.openwif.usage.UsageKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One admitted {@code /v1} call, from the rate-limit decision to its end: the proxy adds the {@link
 * #rateLimitHeaders} to the answer, feeds the relayed body to {@link #tap} and counts the bytes;
 * {@link #finish} then counts the call ({@link UsageCounter}, by the minute the call started),
 * debits the tokens the upstream reported from the account's token limit and writes the {@link
 * AccessLog} line. Used by the one thread serving the call; {@link #finish} acts once.
 */
final class MeteredCall {
  private final GatewayMeter meter;
  private final VerifiedAccessToken token;
  private final ServiceAccountRateLimits limits;
  private final Map<String, String> rateLimitHeaders;
  private final String method;
  private final String path;
  private final Instant minute;
  private final long startNanos;
  private final AtomicBoolean finished = new AtomicBoolean();
  private UsageTap tap = UsageTap.NONE;
  private long bytesOut;
  private Optional<String> requestId = Optional.empty();

  MeteredCall(
      GatewayMeter meter,
      VerifiedAccessToken token,
      ServiceAccountRateLimits limits,
      Map<String, String> rateLimitHeaders,
      String method,
      String path,
      Instant minute,
      long startNanos) {
    this.meter = meter;
    this.token = token;
    this.limits = limits;
    this.rateLimitHeaders = Map.copyOf(rateLimitHeaders);
    this.method = method;
    this.path = path;
    this.minute = minute;
    this.startNanos = startNanos;
  }

  /** OpenAI's rate-limit headers for this call (empty when the account has no limit). */
  Map<String, String> rateLimitHeaders() {
    return rateLimitHeaders;
  }

  /**
   * {@code upstream} (the upstream's headers for the client) with this call's rate-limit headers in
   * place of any the upstream sent of the same names (compared case-insensitively); the same map
   * when the account has no limit.
   */
  Map<String, List<String>> withRateLimitHeaders(Map<String, List<String>> upstream) {
    if (rateLimitHeaders.isEmpty()) {
      return upstream;
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    upstream.forEach(
        (name, values) -> {
          if (!rateLimitHeaders.containsKey(name.toLowerCase(Locale.ROOT))) {
            out.put(name, values);
          }
        });
    rateLimitHeaders.forEach((name, value) -> out.put(name, List.of(value)));
    return out;
  }

  /** A tap for the answer's body of {@code contentType}, read at {@link #finish}. */
  UsageTap tap(Optional<String> contentType) {
    tap = UsageTap.forContentType(contentType);
    return tap;
  }

  /** Counts {@code n} more bytes sent to the client. */
  void sent(long n) {
    bytesOut += n;
  }

  /** The upstream's {@code x-request-id}, for the access log. */
  void requestId(Optional<String> id) {
    requestId = Objects.requireNonNull(id, "id");
  }

  /** The call ended with {@code status}: counted, debited and logged, once. */
  void finish(int status) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    UsageTap.Usage usage = tap.usage();
    String model = usage.model().orElse("");
    meter
        .usage()
        .record(
            new UsageKey(
                minute,
                token.projectId(),
                token.subject(),
                token.providerId(),
                model,
                UsageKey.statusClass(status)),
            UsageCounts.oneCall(usage.inputTokens(), usage.outputTokens()));
    meter
        .limiter()
        .debitTokens(token.subject(), limits, usage.inputTokens() + usage.outputTokens());
    AccessLog.write(
        new AccessLog.Entry(
            method,
            path,
            status,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
            token.projectId(),
            token.subject(),
            token.providerId(),
            usage.model(),
            usage.inputTokens(),
            usage.outputTokens(),
            bytesOut,
            requestId));
  }
}
