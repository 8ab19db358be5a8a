package dev.openwif.token;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verified access tokens by the SHA-256 of the token text, bounded in size. Entries are dropped
 * when they expire (checked on every lookup) and evicted when the cache is full: first the expired
 * ones, then arbitrary entries down to 90 % (a token evicted early just costs one more signature
 * check). Thread-safe.
 */
final class VerifiedTokenCache {
  private final Map<String, VerifiedAccessToken> entries = new ConcurrentHashMap<>();
  private final int maxEntries;

  VerifiedTokenCache(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("cache size must be at least 1, was " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  /** The cached token when present and not expired at {@code now}; an expired entry is removed. */
  Optional<VerifiedAccessToken> get(String hash, Instant now) {
    VerifiedAccessToken token = entries.get(hash);
    if (token == null) {
      return Optional.empty();
    }
    if (!now.isBefore(token.expiresAt())) {
      entries.remove(hash, token);
      return Optional.empty();
    }
    return Optional.of(token);
  }

  void put(String hash, VerifiedAccessToken token, Instant now) {
    if (entries.size() >= maxEntries) {
      evict(now);
    }
    entries.put(hash, token);
  }

  void remove(String hash) {
    entries.remove(hash);
  }

  void removeJti(String jti) {
    entries.values().removeIf(token -> token.jti().equals(jti));
  }

  void clear() {
    entries.clear();
  }

  int size() {
    return entries.size();
  }

  private synchronized void evict(Instant now) {
    entries.values().removeIf(token -> !now.isBefore(token.expiresAt()));
    int target = Math.max(0, maxEntries - Math.max(1, maxEntries / 10));
    Iterator<String> keys = entries.keySet().iterator();
    while (entries.size() > target && keys.hasNext()) {
      keys.next();
      keys.remove();
    }
  }
}
