package dev.openwif.server;

import dev.openwif.directory.FederationDirectory;
import dev.openwif.federation.ChangeChannel;
import dev.openwif.federation.FederationChangeListener;
import dev.openwif.token.SigningKeys;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 * committed admin change ({@link #federationChanged()}) and publishes it to the other nodes on the
 * {@link ChangeChannel} when the store has one (PostgreSQL {@code LISTEN}/{@code NOTIFY}); applies
 * what other nodes publish as soon as it arrives (the configuration, the signing keys, or both
 * after the listening connection was re-established); retries a listener that failed once on its
 * own thread; and every poll interval ({@code --sync-interval}, default {@link
 * #RESYNC_INTERVAL_SECONDS} s) re-reads the configuration and the signing keys whatever happened
 * (the fallback: a lost notification, a change written without the admin API, a rebuild that failed
 * after a committed change). Everything it re-reads runs on its one thread, in order. Thread-safe;
 * {@link #close()} stops the thread and the listener.
 */
final class FederationSync implements FederationChangeListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FederationSync.class);

  /**
   * The default poll interval: how long a change written elsewhere takes at most without NOTIFY.
   */
  static final long RESYNC_INTERVAL_SECONDS = 5;

  private final List<FederationChangeListener> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          task -> Thread.ofPlatform().daemon().name("openwif-federation-resync").unstarted(task));

  private final Optional<ChangeChannel> channel;
  private final Optional<AutoCloseable> subscription;
  private final SigningKeys signingKeys;

  /**
   * Re-reads {@code directory} and {@code signingKeys} every {@code interval} from now on, and
   * listens on {@code channel} (when present) for changes made by the other nodes.
   */
  FederationSync(
      FederationChangeListener directory,
      SigningKeys signingKeys,
      Duration interval,
      Optional<ChangeChannel> channel) {
    Objects.requireNonNull(directory, "directory");
    this.signingKeys = Objects.requireNonNull(signingKeys, "signingKeys");
    this.channel = Objects.requireNonNull(channel, "channel");
    listeners.add(directory);
    // The periodic task never throws (resync catches), so its future carries nothing to check;
    // close() stops it with the thread.
    ScheduledFuture<?> unused =
        thread.scheduleWithFixedDelay(
            () -> resync(directory, signingKeys),
            interval.toMillis(),
            interval.toMillis(),
            TimeUnit.MILLISECONDS);
    this.subscription = channel.map(c -> c.subscribe(this::changedElsewhere));
  }

  /**
   * Another node committed {@code change} (or the listener reconnected: {@link
   * ChangeChannel.Change#EVERYTHING}); applied on the re-sync thread, in order with the polls.
   */
  private void changedElsewhere(ChangeChannel.Change change) {
    try {
      thread.execute(
          () -> {
            switch (change) {
              case FEDERATION -> tellListeners();
              case SIGNING_KEYS -> reloadSigningKeys(signingKeys);
              case EVERYTHING -> {
                tellListeners();
                reloadSigningKeys(signingKeys);
              }
            }
          });
    } catch (RejectedExecutionException shuttingDown) {
      LOG.debug("server stopping; change from another node not applied");
    }
  }

  /** Every listener re-reads (the directory first); a failure is logged, the poll covers it. */
  private void tellListeners() {
    for (FederationChangeListener listener : listeners) {
      try {
        listener.federationChanged();
      } catch (RuntimeException e) {
        LOG.warn(
            "applying a change from another node failed; the next poll retries: {}", e.toString());
      }
    }
  }

  /**
   * This node changed its signing keys (rotated): the other nodes are told to re-read theirs now
   * rather than at their next poll.
   */
  void signingKeysChanged() {
    channel.ifPresent(c -> c.publish(ChangeChannel.Change.SIGNING_KEYS));
  }

  /** Adds a listener told after every committed federation change. */
  void addListener(FederationChangeListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * What the admin use cases call after a committed change: tells the other nodes, then every
   * listener here.
   */
  @Override
  public void federationChanged() {
    channel.ifPresent(c -> c.publish(ChangeChannel.Change.FEDERATION));
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
    reloadSigningKeys(signingKeys);
  }

  private static void reloadSigningKeys(SigningKeys signingKeys) {
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
    try {
      if (subscription.isPresent()) {
        subscription.get().close();
      }
    } catch (Exception e) {
      LOG.debug("change listener did not stop cleanly: {}", e.toString());
    } finally {
      thread.shutdownNow();
    }
  }
}
