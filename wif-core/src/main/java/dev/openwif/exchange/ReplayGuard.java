package dev.openwif.exchange;

import dev.openwif.federation.ReplayMemory;
import dev.openwif.oidc.VerifiedSubjectToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One-time use of subject tokens for providers that opt in ({@code replay_protection}): remembers a
 * key identifying each token exchanged (a hash, never the token) until the token's own {@code exp}
 * (plus the verifier's leeway, after which the token is refused anyway). Platform tokens are
 * normally reused until they expire, hence opt-in.
 *
 * <p>Two bounds. One memory per provider, each holding at most {@code capacityPerProvider} tokens,
 * so a tenant whose issuer mints tokens in bulk fills only its own provider's memory and never
 * refuses, nor evicts, another provider's tokens. And at most {@code totalCapacity} tokens across
 * every provider, so many replay-protected providers cannot together exhaust the heap. A memory
 * that cannot take a new entry under either bound fails closed for the provider asking ({@link
 * Admission#FULL}: the token is not admitted), never silently accepts it. Expired entries are swept
 * as new ones arrive (every 1024 admissions of that provider, so a full memory costs no sweep per
 * request); when the total bound is reached, every provider's expired entries are swept, at most
 * once per second. A provider's memory is dropped ({@link #retainProviders}) once the provider is
 * gone from the federation. A token that was admitted but whose exchange then failed without
 * issuing anything is given back ({@link #forget}), so the client's retry is not a replay.
 *
 * <p>Memory of one server only (the single-node default on SQLite): behind a load balancer the
 * nodes share a PostgreSQL memory instead (the store's {@code JdbcReplayMemory}). Thread-safe: each
 * provider's memory is guarded by its own lock (check and remember are one step), the total by an
 * atomic count reserved before an entry is added.
 */
public final class ReplayGuard implements ReplayMemory {
  /**
   * Subject tokens remembered at most per provider that opted in (about 200 bytes each: ~20 MB per
   * provider at most).
   */
  static final int PER_PROVIDER = 100_000;

  /**
   * Subject tokens remembered at most across every provider (~200 MB at most): past it, the
   * provider asking is refused 503 {@code overloaded} like one whose own memory is full.
   */
  static final int TOTAL = 1_000_000;

  private static final int SWEEP_EVERY = 1024;
  private static final Duration GLOBAL_SWEEP_INTERVAL = Duration.ofSeconds(1);

  private final Clock clock;
  private final int capacityPerProvider;
  private final int totalCapacity;
  private final Map<String, ProviderMemory> memories = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private final AtomicLong lastGlobalSweepMillis = new AtomicLong(Long.MIN_VALUE);

  /** The memory of one server with the standard bounds ({@link #PER_PROVIDER}, {@link #TOTAL}). */
  public static ReplayGuard inMemory(Clock clock) {
    return new ReplayGuard(clock, PER_PROVIDER, TOTAL);
  }

  ReplayGuard(Clock clock, int capacityPerProvider, int totalCapacity) {
    if (capacityPerProvider < 1) {
      throw new IllegalArgumentException("capacityPerProvider must be positive");
    }
    if (totalCapacity < capacityPerProvider) {
      throw new IllegalArgumentException("totalCapacity must be at least capacityPerProvider");
    }
    this.clock = clock;
    this.capacityPerProvider = capacityPerProvider;
    this.totalCapacity = totalCapacity;
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

  /**
   * Remembers {@code tokenHash} (a key naming the token, see {@link #keyOf}) in the memory of
   * {@code providerId} until {@code forgetAfter}; says whether this is its first use there. {@link
   * Admission#FULL} when that provider's memory holds {@code capacityPerProvider} unexpired tokens
   * or all memories together {@code totalCapacity}.
   */
  @Override
  public Admission admit(String providerId, String tokenHash, Instant forgetAfter) {
    Instant now = clock.instant();
    if (!forgetAfter.isAfter(now)) {
      return Admission.TOO_LATE;
    }
    boolean swept = false;
    while (true) {
      ProviderMemory memory = memories.computeIfAbsent(providerId, id -> new ProviderMemory());
      switch (memory.admit(tokenHash, forgetAfter, now)) {
        case FIRST_USE -> {
          return Admission.FIRST_USE;
        }
        case REPLAYED -> {
          return Admission.REPLAYED;
        }
        case PROVIDER_FULL -> {
          return Admission.FULL;
        }
        case TOTAL_FULL -> {
          // outside any memory's lock: the sweep takes each memory's lock in turn
          if (swept || !sweepAllDue(now)) {
            return Admission.FULL;
          }
          swept = true;
        }
        case DROPPED ->
            // that memory was dropped meanwhile (its provider was deleted, see
            // retainProviders); take the one that replaces it
            memories.remove(providerId, memory);
      }
    }
  }

  /** What one provider's memory made of an admission. */
  private enum Attempt {
    FIRST_USE,
    REPLAYED,
    PROVIDER_FULL,
    TOTAL_FULL,
    DROPPED
  }

  /**
   * Gives back an admission: {@code tokenHash}, admitted for {@code providerId} until {@code
   * forgetAfter}, is forgotten (only that entry, not one a later admission made), so the token may
   * be exchanged again. For an exchange that admitted its token and then issued nothing.
   */
  @Override
  public void forget(String providerId, String tokenHash, Instant forgetAfter) {
    ProviderMemory memory = memories.get(providerId);
    if (memory != null) {
      memory.forget(tokenHash, forgetAfter);
    }
  }

  /**
   * Drops the memory of every provider for which {@code stillListed} is false (deleted from the
   * federation), releasing its share of the total bound.
   */
  @Override
  public void retainProviders(Predicate<String> stillListed) {
    for (String providerId : List.copyOf(memories.keySet())) {
      if (!stillListed.test(providerId)) {
        ProviderMemory memory = memories.remove(providerId);
        if (memory != null) {
          memory.drop(); // an admission racing with this finds it dropped and takes a new one
        }
      }
    }
  }

  @Override
  public String kind() {
    return "in-memory";
  }

  /** Tokens remembered now, across every provider (for tests and status). */
  int size() {
    return total.get();
  }

  /** Providers with a memory now (for tests). */
  int providers() {
    return memories.size();
  }

  /**
   * The total bound is reached: sweeps every provider's expired entries, unless a sweep ran less
   * than {@link #GLOBAL_SWEEP_INTERVAL} ago (so a memory full of unexpired entries costs no sweep
   * per request). Whether it swept.
   */
  private boolean sweepAllDue(Instant now) {
    long last = lastGlobalSweepMillis.get();
    long nowMillis = now.toEpochMilli();
    if (last != Long.MIN_VALUE && nowMillis - last < GLOBAL_SWEEP_INTERVAL.toMillis()) {
      return false;
    }
    if (!lastGlobalSweepMillis.compareAndSet(last, nowMillis)) {
      return false;
    }
    memories.values().forEach(memory -> memory.sweep(now));
    return true;
  }

  private boolean tryReserve() {
    if (total.incrementAndGet() > totalCapacity) {
      total.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Tokens of one provider, with their own bound and sweep. */
  private final class ProviderMemory {
    /** Guarded by this. */
    private final Map<String, Instant> seen = new HashMap<>();

    /** Guarded by this. */
    private int sinceSweep;

    /** Guarded by this: the memory was dropped; nothing may be added to it any more. */
    private boolean dropped;

    synchronized Attempt admit(String tokenHash, Instant forgetAfter, Instant now) {
      if (dropped) {
        return Attempt.DROPPED;
      }
      if (++sinceSweep >= SWEEP_EVERY) {
        sweep(now);
      }
      Instant earlier = seen.get(tokenHash);
      if (earlier != null) {
        if (earlier.isAfter(now)) {
          return Attempt.REPLAYED;
        }
        seen.put(tokenHash, forgetAfter); // an expired entry is reused: no new room needed
        return Attempt.FIRST_USE;
      }
      if (seen.size() >= capacityPerProvider) {
        return Attempt.PROVIDER_FULL;
      }
      if (!tryReserve()) {
        return Attempt.TOTAL_FULL;
      }
      seen.put(tokenHash, forgetAfter);
      return Attempt.FIRST_USE;
    }

    synchronized void forget(String tokenHash, Instant forgetAfter) {
      if (seen.remove(tokenHash, forgetAfter)) {
        total.decrementAndGet();
      }
    }

    synchronized void sweep(Instant now) {
      sinceSweep = 0;
      int before = seen.size();
      seen.values().removeIf(until -> !until.isAfter(now));
      total.addAndGet(seen.size() - before);
    }

    synchronized void drop() {
      dropped = true;
      total.addAndGet(-seen.size());
      seen.clear();
    }
  }
}
