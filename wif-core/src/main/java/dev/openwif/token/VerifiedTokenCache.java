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
 * check). Each entry remembers the {@code kid} that verified it, so a hit can be refused once that
 * key is retired. Thread-safe.
 */
final class VerifiedTokenCache {
  /** A verified token and the kid of the key its signature verified with. */
  record Entry(VerifiedAccessToken token, String kid) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final int maxEntries;

  VerifiedTokenCache(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("cache size must be at least 1, was " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  /** The cached token when present and not expired at {@code now}; an expired entry is removed. */
  Optional<Entry> get(String hash, Instant now) {
    Entry entry = entries.get(hash);
    if (entry == null) {
      return Optional.empty();
    }
    if (!now.isBefore(entry.token().expiresAt())) {
      entries.remove(hash, entry);
      return Optional.empty();
    }
    return Optional.of(entry);
  }

  void put(String hash, VerifiedAccessToken token, String kid, Instant now) {
    if (entries.size() >= maxEntries) {
      evict(now);
    }
    entries.put(hash, new Entry(token, kid));
  }

  void remove(String hash) {
    entries.remove(hash);
  }

  void removeJti(String jti) {
    entries.values().removeIf(entry -> entry.token().jti().equals(jti));
  }

  void clear() {
    entries.clear();
  }

  int size() {
    return entries.size();
  }

  private synchronized void evict(Instant now) {
    entries.values().removeIf(entry -> !now.isBefore(entry.token().expiresAt()));
    int target = Math.max(0, maxEntries - Math.max(1, maxEntries / 10));
    Iterator<String> keys = entries.keySet().iterator();
    while (entries.size() > target && keys.hasNext()) {
      keys.next();
      keys.remove();
    }
  }
}
