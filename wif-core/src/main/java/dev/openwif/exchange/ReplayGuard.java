package dev.openwif.exchange;

import dev.openwif.oidc.VerifiedSubjectToken;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One-time use of subject tokens for providers that opt in ({@code replay_protection}): remembers a
 * key identifying each token exchanged (a hash, never the token) until the token's own {@code exp}
 * (plus the verifier's leeway, after which the token is refused anyway). Platform tokens are
 * normally reused until they expire, hence opt-in.
 *
 * <p>One memory per provider, each bounded: at most {@code capacityPerProvider} tokens of one
 * provider are remembered, so a tenant whose issuer mints tokens in bulk fills only its own
 * provider's memory and never refuses, nor evicts, another provider's tokens. Expired entries are
 * swept as new ones arrive (every 1024 admissions of that provider, so a full memory costs no sweep
 * per request). A memory full of unexpired entries fails closed for its provider alone (the token
 * is not admitted). Memory of one server only: behind a load balancer without sticky routing a
 * token could be used once per node. Thread-safe ({@link ConcurrentHashMap#putIfAbsent} makes
 * check-and-remember atomic).
 */
final class ReplayGuard {
  private static final int SWEEP_EVERY = 1024;

  private final Clock clock;
  private final int capacityPerProvider;
  private final Map<String, ProviderMemory> memories = new ConcurrentHashMap<>();

  ReplayGuard(Clock clock, int capacityPerProvider) {
    if (capacityPerProvider < 1) {
      throw new IllegalArgumentException("capacityPerProvider must be positive");
    }
    this.clock = clock;
    this.capacityPerProvider = capacityPerProvider;
  }

  /**
   * The key naming a token for {@code providerId}: its {@code jti} when it has one (so another
   * token reusing the {@code jti} is a replay too), otherwise its signed content, header and
   * payload without the signature, since an ECDSA signature can be malleated into another valid one
   * and hashing the whole token would let that replay through. A hash: the token itself is never
   * kept.
   */
  static String keyOf(String providerId, String subjectToken, VerifiedSubjectToken token) {
    String identity =
        token
            .jti()
            .map(jti -> "jti:" + jti)
            .orElseGet(
                () ->
                    "signed:"
                        + subjectToken.substring(0, Math.max(0, subjectToken.lastIndexOf('.'))));
    return AttemptTrail.sha256Hex(providerId + "\n" + identity);
  }

  enum Admission {
    FIRST_USE,
    REPLAYED,
    FULL
  }

  /**
   * Remembers {@code tokenHash} (a key naming the token, see {@link #keyOf}) in the memory of
   * {@code providerId} until {@code forgetAfter}; says whether this is its first use there. {@link
   * Admission#FULL} when that provider's memory holds {@code capacityPerProvider} unexpired tokens.
   */
  Admission admit(String providerId, String tokenHash, Instant forgetAfter) {
    return memories
        .computeIfAbsent(providerId, id -> new ProviderMemory())
        .admit(tokenHash, forgetAfter, clock.instant());
  }

  /** Tokens of one provider, with their own bound and sweep. */
  private final class ProviderMemory {
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();
    private final AtomicInteger sinceSweep = new AtomicInteger();

    Admission admit(String tokenHash, Instant forgetAfter, Instant now) {
      if (sinceSweep.incrementAndGet() >= SWEEP_EVERY) {
        sinceSweep.set(0);
        seen.values().removeIf(until -> !until.isAfter(now));
      }
      Instant earlier = seen.get(tokenHash);
      if (earlier != null && earlier.isAfter(now)) {
        return Admission.REPLAYED;
      }
      if (seen.size() >= capacityPerProvider) {
        return Admission.FULL;
      }
      Instant previous = seen.putIfAbsent(tokenHash, forgetAfter);
      if (previous == null) {
        return Admission.FIRST_USE;
      }
      if (!previous.isAfter(now) && seen.replace(tokenHash, previous, forgetAfter)) {
        return Admission.FIRST_USE;
      }
      return Admission.REPLAYED;
    }
  }
}
