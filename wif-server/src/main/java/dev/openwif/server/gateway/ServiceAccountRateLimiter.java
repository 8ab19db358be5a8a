package dev.openwif.server.gateway;

import dev.openwif.federation.ServiceAccountRateLimits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The {@code /v1} rate limits of service accounts ({@link ServiceAccountRateLimits}), as token
 * buckets refilled continuously: a limit of N a minute holds at most N and regains N/60 a second.
 *
 * <ul>
 *   <li>Requests: a call takes one; with less than one left it is refused, and {@code retry-after}
 *       is the time until one is back.
 *   <li>Tokens: checked before the call (refused while the bucket is empty or in debt) and debited
 *       after it ({@link #debitTokens}) with the tokens the upstream reported, which may leave the
 *       bucket in debt by at most one minute's worth.
 * </ul>
 *
 * The numbers given back are truthful: {@code remaining} is what the bucket holds now (whole units,
 * never below 0), {@code reset} the time until it is full again. A changed limit keeps what was
 * used (the bucket is rescaled, not refilled). Lock-free: each bucket is an immutable state swapped
 * by compare-and-set, so a call costs a map lookup and a CAS. Memory is bounded by the number of
 * limited service accounts: a bucket exists only for an account with a limit, and {@link
 * #retainOnly} drops those of accounts no longer limited (called on every federation change).
 * Thread-safe.
 */
final class ServiceAccountRateLimiter {
  private static final double NANOS_PER_MINUTE = 60e9;

  private final Clock clock;
  private final ConcurrentHashMap<String, Buckets> accounts = new ConcurrentHashMap<>();

  ServiceAccountRateLimiter(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** One limit as the headers report it. */
  record LimitState(long limit, long remaining, Duration reset) {}

  /**
   * What {@link #admit} decided.
   *
   * @param refusedBy {@code requests} or {@code tokens} when refused, empty when admitted
   * @param retryAfter when refused, how long until the call would be admitted
   */
  record Decision(
      Optional<String> refusedBy,
      Duration retryAfter,
      Optional<LimitState> requests,
      Optional<LimitState> tokens) {
    static final Decision UNLIMITED =
        new Decision(Optional.empty(), Duration.ZERO, Optional.empty(), Optional.empty());

    boolean admitted() {
      return refusedBy.isEmpty();
    }
  }

  /** A bucket's level at an instant; immutable. */
  private record Level(double amount, long limit, long atNanos) {
    double rate() {
      return limit / NANOS_PER_MINUTE;
    }

    /** This bucket now, refilled, rescaled to {@code newLimit} keeping what was used. */
    Level at(long now, long newLimit) {
      double used = limit - amount;
      double rescaled = newLimit - used;
      long elapsed = Math.max(0, now - atNanos);
      double refilled =
          Math.min((double) newLimit, rescaled + elapsed * (newLimit / NANOS_PER_MINUTE));
      return new Level(Math.max((double) -newLimit, refilled), newLimit, Math.max(now, atNanos));
    }

    LimitState state() {
      long remaining = (long) Math.max(0, Math.floor(amount));
      return new LimitState(limit, remaining, nanos((limit - amount) / rate()));
    }
  }

  private static final class Buckets {
    final AtomicReference<Level> requests = new AtomicReference<>();
    final AtomicReference<Level> tokens = new AtomicReference<>();
  }

  /** Takes one request of {@code accountId}'s bucket when its limits allow the call. */
  Decision admit(String accountId, ServiceAccountRateLimits limits) {
    if (limits.isUnlimited()) {
      accounts.remove(accountId);
      return Decision.UNLIMITED;
    }
    Buckets buckets = accounts.computeIfAbsent(accountId, id -> new Buckets());
    long now = nanos();
    Optional<LimitState> tokens = Optional.empty();
    OptionalLong tokenLimit = limits.maxTokensPerMinute();
    if (tokenLimit.isPresent()) {
      Level level = current(buckets.tokens, now, tokenLimit.getAsLong());
      tokens = Optional.of(level.state());
      if (level.amount() <= 0) {
        Duration wait = nanos(-level.amount() / level.rate()).plusNanos(1);
        return new Decision(
            Optional.of("tokens"),
            wait,
            limits.maxRequestsPerMinute().isPresent()
                ? Optional.of(
                    current(buckets.requests, now, limits.maxRequestsPerMinute().getAsLong())
                        .state())
                : Optional.empty(),
            tokens);
      }
    } else {
      buckets.tokens.set(null);
    }
    OptionalLong requestLimit = limits.maxRequestsPerMinute();
    if (requestLimit.isEmpty()) {
      buckets.requests.set(null);
      return new Decision(Optional.empty(), Duration.ZERO, Optional.empty(), tokens);
    }
    while (true) {
      Level before = buckets.requests.get();
      Level level =
          before == null
              ? new Level(requestLimit.getAsLong(), requestLimit.getAsLong(), now)
              : before.at(now, requestLimit.getAsLong());
      if (level.amount() < 1) {
        Duration wait = nanos((1 - level.amount()) / level.rate());
        return new Decision(Optional.of("requests"), wait, Optional.of(level.state()), tokens);
      }
      Level after = new Level(level.amount() - 1, level.limit(), level.atNanos());
      if (buckets.requests.compareAndSet(before, after)) {
        return new Decision(Optional.empty(), Duration.ZERO, Optional.of(after.state()), tokens);
      }
    }
  }

  /** Debits {@code used} tokens from {@code accountId}'s token bucket, if it has a token limit. */
  void debitTokens(String accountId, ServiceAccountRateLimits limits, long used) {
    OptionalLong limit = limits.maxTokensPerMinute();
    Buckets buckets = accounts.get(accountId);
    if (limit.isEmpty() || buckets == null || used <= 0) {
      return;
    }
    long now = nanos();
    while (true) {
      Level before = buckets.tokens.get();
      Level level =
          before == null
              ? new Level(limit.getAsLong(), limit.getAsLong(), now)
              : before.at(now, limit.getAsLong());
      Level after =
          new Level(
              Math.max((double) -level.limit(), level.amount() - used),
              level.limit(),
              level.atNanos());
      if (buckets.tokens.compareAndSet(before, after)) {
        return;
      }
    }
  }

  /** Drops the buckets of every account {@code stillLimited} does not accept. */
  void retainOnly(Predicate<String> stillLimited) {
    accounts.keySet().removeIf(id -> !stillLimited.test(id));
  }

  /** How many accounts have buckets now. */
  int size() {
    return accounts.size();
  }

  /** The bucket's level now, stored so concurrent readers agree (CAS; a lost race is harmless). */
  private static Level current(AtomicReference<Level> bucket, long now, long limit) {
    Level before = bucket.get();
    if (before == null) {
      Level full = new Level(limit, limit, now);
      return bucket.compareAndSet(null, full) ? full : current(bucket, now, limit);
    }
    return before.at(now, limit);
  }

  private static Duration nanos(double nanos) {
    return Duration.ofNanos((long) Math.ceil(Math.max(0, nanos)));
  }

  private long nanos() {
    Instant at = clock.instant();
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }
}
