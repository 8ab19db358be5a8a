package dev.openwif.oidc;

import com.nimbusds.jose.jwk.JWK;
import dev.openwif.audit.ReasonCode;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An issuer's keys from OIDC discovery, cached and refreshed so that no request waits on a slow
 * issuer for longer than {@link DiscoverySettings#maxWait()}, and no lookup waits at all:
 *
 * <ul>
 *   <li>Every fetch runs on the fetch executor (a shared, bounded pool in the server), never on the
 *       requesting thread, and at most one fetch of this issuer runs at a time (single flight):
 *       whoever needs keys while a fetch runs waits for that fetch rather than start another.
 *   <li>{@link #prefetch()} (called when the provider is created or changed, and at start) starts
 *       the first fetch before any request needs it.
 *   <li>{@link #prepare} — called before the request takes an admission slot — waits at most {@code
 *       maxWait} for the fetch that the lookup will need: the first one, one replacing keys older
 *       than {@code maxStaleness}, the refresh of a provider idle for two intervals, or one looking
 *       for an unknown kid. {@link #keyFor} never waits: while the keys were never obtained it
 *       throws {@link IssuerUnavailableException} ({@link ReasonCode#ISSUER_KEYS_PENDING} while the
 *       fetch still runs, {@link ReasonCode#ISSUER_UNAVAILABLE} when it failed).
 *   <li>Refresh is due every {@code refreshInterval} (counted from the last attempt); a lookup that
 *       notices it starts it in the background and is served from the current keys. So a key
 *       removed from the JWKS stops being accepted within one interval (plus one fetch).
 *   <li>When no refresh at all ran for two intervals while the issuer was healthy (an idle
 *       provider), {@link #prepare} waits for a refresh before the lookup; if the issuer does not
 *       answer within {@code maxWait}, the cached keys serve, as during an outage.
 *   <li>A failed fetch is not retried before {@code unknownKidCooldown}. An unknown kid causes at
 *       most one fetch per {@code unknownKidCooldown}, however many arrive.
 *   <li>A failed refresh keeps the last-known-good keys; they serve known kids until they are older
 *       than {@code maxStaleness}, then lookups fail with {@link IssuerUnavailableException}.
 * </ul>
 *
 * <p>Thread-safe: starting a fetch is decided under a small lock held for no I/O; lookups read an
 * immutable snapshot.
 */
public final class DiscoveryKeySource implements KeySource, AutoCloseable {
  private final String issuer;
  private final URI discoveryUri;
  private final JwksFetcher fetcher;
  private final Clock clock;
  private final DiscoverySettings settings;
  private final Duration idleLimit; // twice the refresh interval, computed once (not per token)
  private final Executor fetchExecutor;
  private final String providerId;
  private final IssuerFetchListener listener;
  private final Object starts = new Object();
  private volatile Optional<CompletableFuture<Void>> running = Optional.empty();
  private volatile Optional<Snapshot> snapshot = Optional.empty();
  private volatile Optional<Instant> lastAttempt = Optional.empty();
  private volatile Optional<Instant> lastUnknownKidFetch = Optional.empty();
  private volatile String lastError = "no fetch yet";
  private volatile boolean closed;

  private record Snapshot(Map<String, JWK> keys, Instant fetchedAt) {}

  /** Why a fetch would start; {@link #start} checks it under the lock. */
  private enum Need {
    /** Never fetched, or older than the allowed staleness; retried once per cool-down. */
    USABLE_KEYS,
    /** Idle for two intervals while healthy. */
    IDLE_REFRESH,
    /** The refresh interval passed. */
    DUE_REFRESH,
    /** A kid the keys lack; one fetch per cool-down. */
    UNKNOWN_KID
  }

  /** Fetches run on new virtual threads (one per fetch, one at a time). */
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
        task -> Thread.ofVirtual().name("jwks-fetch").start(task));
  }

  /**
   * @param fetchExecutor runs every fetch; it should bound the fetches of all issuers together (a
   *     direct executor makes fetches synchronous in tests); a rejected fetch counts as failed
   */
  public DiscoveryKeySource(
      String issuer,
      Optional<String> discoveryUrl,
      JwksFetcher fetcher,
      Clock clock,
      DiscoverySettings settings,
      Executor fetchExecutor) {
    this(
        issuer,
        discoveryUrl,
        fetcher,
        clock,
        settings,
        fetchExecutor,
        issuer,
        IssuerFetchListener.NONE);
  }

  /**
   * @param providerId the provider this source serves, as reported to {@code listener}
   * @param listener told when each fetch ends (on the fetch thread)
   */
  public DiscoveryKeySource(
      String issuer,
      Optional<String> discoveryUrl,
      JwksFetcher fetcher,
      Clock clock,
      DiscoverySettings settings,
      Executor fetchExecutor,
      String providerId,
      IssuerFetchListener listener) {
    this.providerId = Objects.requireNonNull(providerId, "providerId");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.discoveryUri =
        discoveryUrl.map(URI::create).orElseGet(() -> IssuerKeysFetch.defaultDiscoveryUri(issuer));
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.idleLimit = settings.refreshInterval().multipliedBy(2);
    this.fetchExecutor = Objects.requireNonNull(fetchExecutor, "fetchExecutor");
  }

  @Override
  public Optional<JWK> keyFor(String kid) {
    Snapshot current = usableKeys();
    if (isIdleTooLong(current)) {
      start(Need.IDLE_REFRESH);
      current = snapshot.orElse(current); // refreshed when the fetch ran in place
    } else if (isRefreshDue()) {
      start(Need.DUE_REFRESH);
    }
    JWK key = current.keys().get(kid);
    if (key != null) {
      return Optional.of(key);
    }
    if (running.isEmpty()) {
      start(Need.UNKNOWN_KID);
    }
    return snapshot.map(s -> s.keys().get(kid));
  }

  @Override
  public void prepare(Optional<String> kid) {
    fetchToWaitFor(kid).ifPresent(this::awaitBounded);
  }

  /**
   * Starts the first fetch in the background unless the keys are there, a fetch runs, or the last
   * one failed within the cool-down. Never waits.
   */
  public void prefetch() {
    if (!closed) {
      start(Need.USABLE_KEYS);
    }
  }

  /**
   * Starts a refresh on the fetch executor when one is due (or keys were never fetched); does not
   * wait for it (a direct executor runs it in place).
   */
  public void refreshIfDue() {
    if (closed) {
      return;
    }
    if (snapshot.isEmpty()) {
      start(Need.USABLE_KEYS);
    } else {
      start(Need.DUE_REFRESH);
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

  /** Whether a fetch of this issuer runs (or waits for the fetch executor) now. */
  public boolean fetching() {
    return running.isPresent();
  }

  /**
   * Stops background refreshes and prefetches; lookups keep working from the cache and start
   * on-demand fetches.
   */
  @Override
  public void close() {
    closed = true;
  }

  /** The fetch {@link #prepare} should wait for, if any; starts it when needed. */
  private Optional<CompletableFuture<Void>> fetchToWaitFor(Optional<String> kid) {
    Optional<Snapshot> current = snapshot;
    if (current.isEmpty() || isStale(current.get())) {
      return start(Need.USABLE_KEYS);
    }
    if (isIdleTooLong(current.get())) {
      return start(Need.IDLE_REFRESH);
    }
    if (isRefreshDue()) {
      start(Need.DUE_REFRESH);
    }
    if (kid.isPresent() && !current.get().keys().containsKey(kid.get())) {
      // a fetch already running may bring the kid: wait for it instead of starting another
      return start(Need.UNKNOWN_KID);
    }
    return Optional.empty();
  }

  /**
   * The keys a lookup may use, starting a fetch (not waiting for it) when there are none or they
   * are too old.
   */
  private Snapshot usableKeys() {
    Optional<Snapshot> current = snapshot;
    if (current.isEmpty() || isStale(current.get())) {
      start(Need.USABLE_KEYS);
      current = snapshot;
    }
    if (current.isEmpty()) {
      throw noKeys();
    }
    if (isStale(current.get())) {
      throw new IssuerUnavailableException(
          "keys of issuer "
              + issuer
              + " were last fetched at "
              + current.get().fetchedAt()
              + ", longer ago than the allowed "
              + settings.maxStaleness()
              + ": "
              + lastError);
    }
    return current.get();
  }

  private IssuerUnavailableException noKeys() {
    if (running.isPresent()) {
      return new IssuerUnavailableException(
          ReasonCode.ISSUER_KEYS_PENDING,
          "keys of issuer "
              + issuer
              + " are not obtained yet: the fetch started at "
              + lastAttempt.map(Instant::toString).orElse("(unknown)")
              + " still runs (a request waits at most "
              + settings.maxWait()
              + " for it); last result: "
              + lastError);
    }
    return new IssuerUnavailableException(
        "keys of issuer " + issuer + " could not be obtained: " + lastError);
  }

  /**
   * The running fetch, or a new one when {@code need} holds (checked under the lock, so at most one
   * fetch runs); empty when none runs and none is needed. The fetch runs on the executor, outside
   * the lock.
   */
  private Optional<CompletableFuture<Void>> start(Need need) {
    CompletableFuture<Void> mine;
    Instant now = clock.instant();
    synchronized (starts) {
      Optional<CompletableFuture<Void>> current = running;
      if (current.isPresent()) {
        return current;
      }
      if (!needed(need)) {
        return Optional.empty();
      }
      mine = new CompletableFuture<>();
      lastAttempt = Optional.of(now);
      if (need == Need.UNKNOWN_KID) {
        lastUnknownKidFetch = Optional.of(now);
      }
      running = Optional.of(mine);
    }
    try {
      fetchExecutor.execute(() -> fetchThenFinish(now, mine));
    } catch (RejectedExecutionException e) {
      lastError = "the fetch could not start: too many issuer fetches are waiting";
      report();
      finish(mine);
    }
    return Optional.of(mine);
  }

  private boolean needed(Need need) {
    Optional<Snapshot> current = snapshot;
    return switch (need) {
      case USABLE_KEYS ->
          (current.isEmpty() || isStale(current.get())) && !withinCooldown(lastAttempt);
      case IDLE_REFRESH -> current.isPresent() && isIdleTooLong(current.get());
      case DUE_REFRESH -> !closed && isRefreshDue();
      case UNKNOWN_KID -> !withinCooldown(lastUnknownKidFetch);
    };
  }

  private void fetchThenFinish(Instant started, CompletableFuture<Void> mine) {
    try {
      fetchNow(started);
    } finally {
      finish(mine);
    }
  }

  private void finish(CompletableFuture<Void> mine) {
    synchronized (starts) {
      running = Optional.empty();
    }
    mine.complete(null);
  }

  /**
   * Runs on the fetch executor, one at a time. Never throws for issuer trouble: it records the
   * error and keeps the old keys.
   */
  private void fetchNow(Instant started) {
    try {
      Map<String, JWK> keys = IssuerKeysFetch.fetch(issuer, discoveryUri, fetcher);
      snapshot = Optional.of(new Snapshot(keys, started));
      lastError = "ok";
    } catch (IOException | RuntimeException e) {
      lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    report();
  }

  /** Tells the listener how the fetch ended; a listener that throws changes nothing here. */
  private void report() {
    String error = lastError;
    try {
      listener.fetchEnded(
          providerId, issuer, error.equals("ok") ? Optional.empty() : Optional.of(error));
    } catch (RuntimeException ignored) {
      // the listener's fault must not turn a fetch into a failure
    }
  }

  /**
   * Waits at most {@code maxWait} for the fetch; what it brought (if anything) is in force then.
   */
  private void awaitBounded(CompletableFuture<Void> fetch) {
    try {
      fetch.get(settings.maxWait().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // the fetch goes on in the background; the lookup answers from what is cached
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // never: the future is only completed normally
      throw new IllegalStateException(e);
    }
  }

  private boolean isRefreshDue() {
    return lastAttempt
        .map(at -> !clock.instant().isBefore(at.plus(settings.refreshInterval())))
        .orElse(true);
  }

  private boolean isIdleTooLong(Snapshot current) {
    return lastError.equals("ok") && !clock.instant().isBefore(current.fetchedAt().plus(idleLimit));
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
