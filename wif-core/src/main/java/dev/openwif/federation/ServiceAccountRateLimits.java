package dev.openwif.federation;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The API rate limits of one service account on the {@code /v1} gateway, named as OpenAI names a
 * project's rate limits: {@code max_requests_per_1_minute} and {@code max_tokens_per_1_minute}
 * (input plus output tokens, as the upstream reports them in {@code usage}). An absent limit is
 * unlimited. Immutable.
 *
 * @param maxRequestsPerMinute requests a minute, at least 1 when present
 * @param maxTokensPerMinute tokens a minute, at least 1 when present
 */
public record ServiceAccountRateLimits(
    OptionalLong maxRequestsPerMinute, OptionalLong maxTokensPerMinute) {
  private static final ServiceAccountRateLimits UNLIMITED =
      new ServiceAccountRateLimits(OptionalLong.empty(), OptionalLong.empty());

  public ServiceAccountRateLimits {
    Objects.requireNonNull(maxRequestsPerMinute, "maxRequestsPerMinute");
    Objects.requireNonNull(maxTokensPerMinute, "maxTokensPerMinute");
    if (maxRequestsPerMinute.isPresent() && maxRequestsPerMinute.getAsLong() < 1) {
      throw new IllegalArgumentException("maxRequestsPerMinute must be positive");
    }
    if (maxTokensPerMinute.isPresent() && maxTokensPerMinute.getAsLong() < 1) {
      throw new IllegalArgumentException("maxTokensPerMinute must be positive");
    }
  }

  /** No limit at all (the default of every service account). */
  public static ServiceAccountRateLimits unlimited() {
    return UNLIMITED;
  }

  /**
   * The share of these limits one of {@code nodes} nodes enforces, when each node counts in its own
   * memory and a balancer spreads the calls: each limit divided by {@code nodes}, rounded down, at
   * least 1. This object itself for one node.
   */
  public ServiceAccountRateLimits perNode(int nodes) {
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes must be positive, was " + nodes);
    }
    if (nodes == 1 || isUnlimited()) {
      return this;
    }
    return new ServiceAccountRateLimits(
        share(maxRequestsPerMinute, nodes), share(maxTokensPerMinute, nodes));
  }

  private static OptionalLong share(OptionalLong limit, int nodes) {
    return limit.isPresent()
        ? OptionalLong.of(Math.max(1, limit.getAsLong() / nodes))
        : OptionalLong.empty();
  }

  /** Whether neither limit is set. */
  public boolean isUnlimited() {
    return maxRequestsPerMinute.isEmpty() && maxTokensPerMinute.isEmpty();
  }
}
