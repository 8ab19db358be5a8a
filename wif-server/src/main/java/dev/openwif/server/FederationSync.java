package dev.openwif.server;

import dev.openwif.directory.FederationDirectory;
import dev.openwif.federation.FederationChangeListener;
import dev.openwif.token.SigningKeys;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the in-memory configuration in step with the store: tells every listener after each
 * committed admin change ({@link #federationChanged()}), retries a listener that failed once on its
 * own thread, and every {@link #RESYNC_INTERVAL_SECONDS} re-reads the configuration and the signing
 * keys whatever the admin API did (changes written by another node sharing the database, or a
 * rebuild that failed after a committed change). Thread-safe; {@link #close()} stops the thread.
 */
final class FederationSync implements FederationChangeListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FederationSync.class);

  /** How long a change written elsewhere takes at most to be in force here. */
  static final long RESYNC_INTERVAL_SECONDS = 5;

  private final List<FederationChangeListener> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          task -> Thread.ofPlatform().daemon().name("openwif-federation-resync").unstarted(task));

  /** Re-reads {@code directory} and {@code signingKeys} every interval from now on. */
  FederationSync(FederationChangeListener directory, SigningKeys signingKeys) {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(signingKeys, "signingKeys");
    listeners.add(directory);
    // The periodic task never throws (resync catches), so its future carries nothing to check;
    // close() stops it with the thread.
    ScheduledFuture<?> unused =
        thread.scheduleWithFixedDelay(
            () -> resync(directory, signingKeys),
            RESYNC_INTERVAL_SECONDS,
            RESYNC_INTERVAL_SECONDS,
            TimeUnit.SECONDS);
  }

  /** Adds a listener told after every committed federation change. */
  void addListener(FederationChangeListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** What the admin use cases call after a committed change: tells every listener. */
  @Override
  public void federationChanged() {
    for (FederationChangeListener listener : listeners) {
      try {
        listener.federationChanged();
      } catch (RuntimeException e) {
        // The change is committed; a listener failing must not turn the admin call into an error.
        LOG.error(
            "federation change listener failed; retrying now, then every {} s",
            RESYNC_INTERVAL_SECONDS,
            e);
        retrySoon(listener);
      }
    }
  }

  /**
   * Tells the listener again on the re-sync thread; the periodic re-sync covers a second failure.
   */
  private void retrySoon(FederationChangeListener listener) {
    try {
      thread.execute(
          () -> {
            try {
              listener.federationChanged();
            } catch (RuntimeException e) {
              LOG.warn("federation change listener failed again: {}", e.toString());
            }
          });
    } catch (RejectedExecutionException shuttingDown) {
      LOG.debug("server stopping; federation change listener not retried");
    }
  }

  /**
   * Re-reads the federation configuration and the signing keys. A failure keeps what was loaded
   * before and is logged by exception type and message only (no key material); the next tick tries
   * again. Never throws, so the schedule keeps running.
   */
  private static void resync(FederationChangeListener directory, SigningKeys signingKeys) {
    try {
      directory.federationChanged();
    } catch (RuntimeException e) {
      LOG.warn(
          "federation re-sync failed; the previous snapshot stays in force until the next try: {}",
          e.toString());
      if (directory instanceof FederationDirectory snapshots) {
        snapshots
            .staleness()
            .ifPresent(
                why ->
                    LOG.error(
                        "federation snapshot stale ({}): exchanges answer 503 and /v1 401 until a"
                            + " re-sync succeeds",
                        why));
      }
    }
    try {
      if (signingKeys.reload()) {
        LOG.info(
            "signing keys changed (rotated, retired, or past their verify-until time); re-read");
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "signing key re-load failed; the loaded keys stay in use: {}", e.getClass().getName());
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
