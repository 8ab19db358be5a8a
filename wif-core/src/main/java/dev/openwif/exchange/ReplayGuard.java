package dev.openwif.exchange;

import dev.openwif.oidc.VerifiedSubjectToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Replay protection for providers that opt in ({@code replay_protection}): a subject token may be
 * exchanged once. A token is identified by its issuer-unique {@code jti} (RFC 7519 §4.1.7), scoped to
 * the provider, or by the SHA-256 of the whole token when it has no {@code jti}; it is remembered until
 * its {@code exp} plus the validation leeway, after which the verifier refuses it anyway, and is then
 * evicted.
 *
 * <p>Memory is bounded: at most {@code capacity} tokens are remembered. When the guard is full even after
 * evicting expired entries it fails closed ({@link Decision#FULL}: the exchange is refused as temporarily
 * unavailable) rather than forget a token that could then be replayed. Only exchanges that are about to
 * succeed are recorded, so a refused attempt never uses a token up.
 *
 * <p>Scope: one server process. Nodes behind a load balancer each keep their own memory, so a token could
 * be exchanged once per node; use one node (or sticky routing) where that matters.
 *
 * <p>Thread-safe: the check-and-record is one atomic {@link ConcurrentHashMap#putIfAbsent}.
 */
public final class ReplayGuard {
  /** Tokens remembered at most (about 200 bytes each: ~20 MB at this default). */
  public static final int DEFAULT_CAPACITY = 100_000;

  private static final int SWEEP_EVERY = 1024;

  /** The outcome of {@link #firstUse}. */
  public enum Decision {
    /** Not seen before: recorded now, the exchange may go on. */
    FIRST_USE,
    /** Exchanged before and not yet expired: refuse with {@code REPLAYED}. */
    REPLAYED,
    /** The guard is full of unexpired tokens: refuse (fail closed), retry later. */
    FULL
  }

  private final Clock clock;
  private final Duration leeway;
  private final int capacity;
  private final ConcurrentHashMap<String, Instant> seen = new ConcurrentHashMap<>();
  private final AtomicInteger insertsSinceSweep = new AtomicInteger();

  /** @param leeway how long after {@code exp} the verifier still accepts a token (its clock-skew leeway) */
  public ReplayGuard(Clock clock, Duration leeway, int capacity) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.leeway = Objects.requireNonNull(leeway, "leeway");
    if (leeway.isNegative()) {
      throw new IllegalArgumentException("leeway must not be negative");
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
  }

  /**
   * Records the verified token as used by {@code providerId}, unless it was used before.
   *
   * @param subjectToken the compact token as received (hashed when it has no {@code jti}; never stored)
   */
  public Decision firstUse(String providerId, VerifiedSubjectToken token, String subjectToken) {
    Objects.requireNonNull(providerId, "providerId");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(subjectToken, "subjectToken");
    Instant now = clock.instant();
    String key = key(providerId, token, subjectToken);
    Instant forgetAt = token.expiresAt().plus(leeway);
    if (seen.size() >= capacity || insertsSinceSweep.incrementAndGet() >= SWEEP_EVERY) {
      evictExpired(now);
    }
    Instant previous = seen.get(key);
    if (previous != null && !previous.isAfter(now)) {
      seen.remove(key, previous); // expired entry not swept yet: the verifier refuses such tokens anyway
    }
    if (seen.size() >= capacity && !seen.containsKey(key)) {
      return Decision.FULL;
    }
    return seen.putIfAbsent(key, forgetAt) == null ? Decision.FIRST_USE : Decision.REPLAYED;
  }

  /** How many tokens are remembered now (expired ones not yet evicted included). */
  public int size() {
    return seen.size();
  }

  /** Drops every remembered token whose {@code exp} (plus leeway) has passed. */
  public void evictExpired(Instant now) {
    insertsSinceSweep.set(0);
    seen.values().removeIf(forgetAt -> !forgetAt.isAfter(now));
  }

  /** How a token is identified in audit details: {@code jti "..."} or a 16-hex-digit hash prefix. */
  public static String describe(VerifiedSubjectToken token, String subjectToken) {
    return token.jti().map(jti -> "jti \"" + (jti.length() > 64 ? jti.substring(0, 64) + "..." : jti) + "\"")
        .orElseGet(() -> "token sha256 " + sha256Hex(subjectToken).substring(0, 16));
  }

  private static String key(String providerId, VerifiedSubjectToken token, String subjectToken) {
    // The NUL separator cannot occur in a provider id, so no two (provider, id) pairs share a key.
    return token.jti().map(jti -> providerId + "\u0000jti\u0000" + jti)
        .orElseGet(() -> providerId + "\u0000sha256\u0000" + sha256Hex(subjectToken));
  }

  private static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
