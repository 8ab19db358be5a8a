package dev.openwif.oidc;

import com.nimbusds.jose.jwk.JWK;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An issuer's keys from OIDC discovery, cached and refreshed so that an exchange waits on the
 * network only on first use or on an unknown {@code kid}:
 *
 * <ul>
 *   <li>First use fetches synchronously; a failure is an {@link IssuerUnavailableException} and is
 *       not retried before {@code unknownKidCooldown}.
 *   <li>Refresh is due every {@code refreshInterval} (counted from the last attempt). A due refresh
 *       runs in the background: started by {@link #refreshIfDue()} (for a shared scheduler or
 *       tests) or by a lookup that notices it is due (on the refresh executor, while the lookup is
 *       served from the current keys). So a key removed from the JWKS stops being accepted within
 *       one interval (plus one fetch).
 *   <li>When no refresh at all ran for two intervals while the issuer was healthy (an idle provider
 *       and no scheduler), the next lookup fetches synchronously, like a first use.
 *   <li>An unknown kid causes at most one fetch per {@code unknownKidCooldown}, however many
 *       arrive, and never waits for a fetch already in flight: it is answered from the current
 *       keys.
 *   <li>A failed refresh keeps the last-known-good keys; they serve known kids until they are older
 *       than {@code maxStaleness}, then lookups fail with {@link IssuerUnavailableException}.
 * </ul>
 *
 * <p>Thread-safe: fetches happen under one lock; lookups read an immutable snapshot.
 */
public final class DiscoveryKeySource implements KeySource, AutoCloseable {
  private final String issuer;
  private final URI discoveryUri;
  private final JwksFetcher fetcher;
  private final Clock clock;
  private final DiscoverySettings settings;
  private final Executor refreshExecutor;
  private final ReentrantLock fetchLock = new ReentrantLock();
  private final AtomicBoolean backgroundRefreshQueued = new AtomicBoolean();
  private volatile Optional<Snapshot> snapshot = Optional.empty();
  private volatile Optional<Instant> lastAttempt = Optional.empty();
  private volatile Optional<Instant> lastUnknownKidFetch = Optional.empty();
  private volatile String lastError = "no fetch yet";
  private volatile boolean closed;

  private record Snapshot(Map<String, JWK> keys, Instant fetchedAt) {}

  /** Background refreshes run on new virtual threads. */
  public DiscoveryKeySource(
      String issuer,
      Optional<String> discoveryUrl,
      JwksFetcher fetcher,
      Clock clock,
      DiscoverySettings settings) {
    this(
        issuer,
        discoveryUrl,
        fetcher,
        clock,
        settings,
        task -> Thread.ofVirtual().name("jwks-refresh").start(task));
  }

  /**
   * @param refreshExecutor runs background refreshes (a direct executor makes them synchronous in
   *     tests)
   */
  public DiscoveryKeySource(
      String issuer,
      Optional<String> discoveryUrl,
      JwksFetcher fetcher,
      Clock clock,
      DiscoverySettings settings,
      Executor refreshExecutor) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.discoveryUri =
        discoveryUrl.map(URI::create).orElseGet(() -> IssuerKeysFetch.defaultDiscoveryUri(issuer));
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.refreshExecutor = Objects.requireNonNull(refreshExecutor, "refreshExecutor");
  }

  @Override
  public Optional<JWK> keyFor(String kid) {
    Snapshot current = snapshot.orElseGet(this::firstFetch);
    if (isStale(current)) {
      current = refreshStale();
    } else if (isIdleTooLong(current)) {
      current = refreshAfterIdle();
    } else if (isRefreshDue()) {
      refreshInBackground();
    }
    JWK key = current.keys().get(kid);
    return key != null ? Optional.of(key) : refreshForUnknownKid(kid);
  }

  /**
   * Fetches now when a refresh is due (or keys were never fetched); otherwise does nothing. Blocks
   * while fetching.
   */
  public void refreshIfDue() {
    if (closed) {
      return;
    }
    fetchLock.lock();
    try {
      if (snapshot.isEmpty() || isRefreshDue()) {
        fetchLocked();
      }
    } finally {
      fetchLock.unlock();
    }
  }

  /** When the keys were last fetched successfully. */
  public Optional<Instant> lastSuccessfulFetch() {
    return snapshot.map(Snapshot::fetchedAt);
  }

  /** Why the last fetch failed, or "ok". */
  public String lastError() {
    return lastError;
  }

  /** Stops background refreshes; lookups keep working from the cache and on-demand fetches. */
  @Override
  public void close() {
    closed = true;
  }

  private Snapshot firstFetch() {
    fetchLock.lock();
    try {
      if (snapshot.isEmpty() && !withinCooldown(lastAttempt)) {
        fetchLocked();
      }
      return snapshot.orElseThrow(
          () ->
              new IssuerUnavailableException(
                  "keys of issuer " + issuer + " could not be obtained: " + lastError));
    } finally {
      fetchLock.unlock();
    }
  }

  private Snapshot refreshStale() {
    fetchLock.lock();
    try {
      Snapshot current = snapshot.orElseThrow();
      if (isStale(current) && !withinCooldown(lastAttempt)) {
        fetchLocked();
        current = snapshot.orElseThrow();
      }
      if (isStale(current)) {
        throw new IssuerUnavailableException(
            "keys of issuer "
                + issuer
                + " were last fetched at "
                + current.fetchedAt()
                + ", longer ago than the allowed "
                + settings.maxStaleness()
                + ": "
                + lastError);
      }
      return current;
    } finally {
      fetchLock.unlock();
    }
  }

  /**
   * No refresh ran for two intervals although the issuer was healthy (no lookups, no scheduler):
   * the keys may be arbitrarily old, so this lookup is treated like a first use and waits for a
   * fetch rather than accept a key the issuer may have removed. During an outage this path is not
   * taken.
   */
  private Snapshot refreshAfterIdle() {
    fetchLock.lock();
    try {
      if (isIdleTooLong(snapshot.orElseThrow())) {
        fetchLocked();
      }
      return snapshot.orElseThrow();
    } finally {
      fetchLock.unlock();
    }
  }

  /**
   * Never waits behind another fetch: within the cool-down, or while a fetch is already running
   * (which may well bring the kid), the answer comes from the current keys at once, so a flood of
   * unknown kids cannot pile up threads on a slow issuer.
   */
  private Optional<JWK> refreshForUnknownKid(String kid) {
    if (withinCooldown(lastUnknownKidFetch) || !fetchLock.tryLock()) {
      return Optional.empty();
    }
    try {
      JWK key = snapshot.orElseThrow().keys().get(kid);
      if (key == null && !withinCooldown(lastUnknownKidFetch)) {
        lastUnknownKidFetch = Optional.of(clock.instant());
        fetchLocked();
        key = snapshot.orElseThrow().keys().get(kid);
      }
      return Optional.ofNullable(key);
    } finally {
      fetchLock.unlock();
    }
  }

  private void refreshInBackground() {
    if (closed || !backgroundRefreshQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      refreshExecutor.execute(
          () -> {
            try {
              refreshIfDue();
            } finally {
              backgroundRefreshQueued.set(false);
            }
          });
    } catch (RejectedExecutionException e) {
      backgroundRefreshQueued.set(false);
    }
  }

  /**
   * Call with the lock held. Never throws for issuer trouble: it records the error and keeps the
   * old keys.
   */
  private void fetchLocked() {
    Instant started = clock.instant();
    lastAttempt = Optional.of(started);
    try {
      Map<String, JWK> keys = IssuerKeysFetch.fetch(issuer, discoveryUri, fetcher);
      snapshot = Optional.of(new Snapshot(keys, started));
      lastError = "ok";
    } catch (IOException | RuntimeException e) {
      lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
  }

  private boolean isRefreshDue() {
    return lastAttempt
        .map(at -> !clock.instant().isBefore(at.plus(settings.refreshInterval())))
        .orElse(true);
  }

  private boolean isIdleTooLong(Snapshot current) {
    return lastError.equals("ok")
        && !clock
            .instant()
            .isBefore(current.fetchedAt().plus(settings.refreshInterval().multipliedBy(2)));
  }

  private boolean isStale(Snapshot current) {
    return clock.instant().isAfter(current.fetchedAt().plus(settings.maxStaleness()));
  }

  private boolean withinCooldown(Optional<Instant> since) {
    return since
        .map(at -> clock.instant().isBefore(at.plus(settings.unknownKidCooldown())))
        .orElse(false);
  }
}
