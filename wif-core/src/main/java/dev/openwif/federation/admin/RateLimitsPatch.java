package dev.openwif.federation.admin;

import dev.openwif.federation.AdminValidationException;
import dev.openwif.federation.ServiceAccountRateLimits;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A change to a service account's rate limits, limit by limit: an absent member keeps the limit, an
 * empty {@link OptionalLong} clears it (unlimited), a value sets it. Values are checked by {@link
 * #apply}: whole numbers from 1 to {@link #MAX_REQUESTS_PER_MINUTE} requests and {@link
 * #MAX_TOKENS_PER_MINUTE} tokens a minute. Immutable.
 *
 * @param maxRequestsPerMinute {@code max_requests_per_1_minute}
 * @param maxTokensPerMinute {@code max_tokens_per_1_minute}
 */
public record RateLimitsPatch(
    Optional<OptionalLong> maxRequestsPerMinute, Optional<OptionalLong> maxTokensPerMinute) {
  /** Ten million requests a minute: beyond any single upstream's limits. */
  public static final long MAX_REQUESTS_PER_MINUTE = 10_000_000L;

  /** One hundred billion tokens a minute. */
  public static final long MAX_TOKENS_PER_MINUTE = 100_000_000_000L;

  public static final String REQUESTS_FIELD = "max_requests_per_1_minute";
  public static final String TOKENS_FIELD = "max_tokens_per_1_minute";

  public RateLimitsPatch {
    Objects.requireNonNull(maxRequestsPerMinute, "maxRequestsPerMinute");
    Objects.requireNonNull(maxTokensPerMinute, "maxTokensPerMinute");
  }

  /** Changes nothing. */
  public static RateLimitsPatch none() {
    return new RateLimitsPatch(Optional.empty(), Optional.empty());
  }

  /** Clears both limits. */
  public static RateLimitsPatch clearAll() {
    return new RateLimitsPatch(
        Optional.of(OptionalLong.empty()), Optional.of(OptionalLong.empty()));
  }

  /** Whether the patch changes nothing. */
  public boolean isEmpty() {
    return maxRequestsPerMinute.isEmpty() && maxTokensPerMinute.isEmpty();
  }

  /**
   * {@code current} with this patch applied.
   *
   * @param paramPrefix how the API names the object holding the limits (e.g. {@code rate_limits}),
   *     for the field named in a validation error
   * @throws AdminValidationException when a value is out of range
   */
  public ServiceAccountRateLimits apply(ServiceAccountRateLimits current, String paramPrefix) {
    OptionalLong requests =
        maxRequestsPerMinute
            .map(v -> checked(v, paramPrefix + "." + REQUESTS_FIELD, MAX_REQUESTS_PER_MINUTE))
            .orElse(current.maxRequestsPerMinute());
    OptionalLong tokens =
        maxTokensPerMinute
            .map(v -> checked(v, paramPrefix + "." + TOKENS_FIELD, MAX_TOKENS_PER_MINUTE))
            .orElse(current.maxTokensPerMinute());
    return new ServiceAccountRateLimits(requests, tokens);
  }

  private static OptionalLong checked(OptionalLong value, String param, long max) {
    if (value.isPresent() && (value.getAsLong() < 1 || value.getAsLong() > max)) {
      throw new AdminValidationException(
          param, param + " must be a whole number from 1 to " + max + ", or null for no limit.");
    }
    return value;
  }
}
