package dev.openwif.usage;

/**
 * Counts of one usage key: calls, and the input and output tokens the upstream reported for them (0
 * when it reported none). Immutable.
 */
public record UsageCounts(long requests, long inputTokens, long outputTokens) {
  public static final UsageCounts ZERO = new UsageCounts(0, 0, 0);

  public UsageCounts {
    if (requests < 0 || inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException("usage counts are never negative");
    }
  }

  /** One call with these token counts. */
  public static UsageCounts oneCall(long inputTokens, long outputTokens) {
    return new UsageCounts(1, inputTokens, outputTokens);
  }

  /** The sum, saturating at {@link Long#MAX_VALUE}. */
  public UsageCounts plus(UsageCounts other) {
    return new UsageCounts(
        add(requests, other.requests),
        add(inputTokens, other.inputTokens),
        add(outputTokens, other.outputTokens));
  }

  private static long add(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }
}
