package dev.openwif.emulator.gke;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a projected token file fresh as the kubelet does: it writes a new token at once, then again
 * when 80 % of the current token's lifetime has passed, for as long as it runs.
 *
 * <p>The delay is measured on the wall clock from the moment each token is written. Thread-safe;
 * one daemon thread per rotation, stopped by {@link #close()}.
 */
final class TokenRotation implements AutoCloseable {
  /** The kubelet refreshes a projected token once it is older than 80 % of its lifetime. */
  static final double REFRESH_FRACTION = 0.8;

  private static final System.Logger LOG = System.getLogger(TokenRotation.class.getName());

  private final Supplier<ProjectedToken> minter;
  private final TokenFileWriter writer;
  private final ScheduledExecutorService scheduler;
  private @Nullable ScheduledFuture<?> next; // null until start() schedules the first rotation
  private ProjectedToken current;
  private boolean closed;

  private TokenRotation(Supplier<ProjectedToken> minter, TokenFileWriter writer) {
    this.minter = minter;
    this.writer = writer;
    // The first token is written before the scheduler's thread exists, so a failure leaks no
    // thread.
    ProjectedToken first = minter.get();
    writer.write(first.jwt());
    this.current = first;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "wif-gke-token-rotation");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Writes the first token now and schedules the rotations. */
  static TokenRotation start(Supplier<ProjectedToken> minter, TokenFileWriter writer) {
    TokenRotation rotation =
        new TokenRotation(Objects.requireNonNull(minter), Objects.requireNonNull(writer));
    rotation.scheduleNext();
    return rotation;
  }

  /** The delay after writing a token before the next one is written: 80 % of its lifetime. */
  static Duration refreshDelay(ProjectedToken token) {
    long lifetimeMillis = Duration.between(token.issuedAt(), token.expiresAt()).toMillis();
    return Duration.ofMillis((long) (lifetimeMillis * REFRESH_FRACTION));
  }

  /** Writes a fresh token now and restarts the 80 % timer; returns the token written. */
  synchronized ProjectedToken rotateNow() {
    if (closed) {
      throw new IllegalStateException("the token rotation is stopped");
    }
    if (next != null) {
      next.cancel(false);
    }
    ProjectedToken token = minter.get();
    writer.write(token.jwt());
    current = token;
    scheduleNext();
    return token;
  }

  private synchronized void scheduleNext() {
    next =
        scheduler.schedule(
            this::rotateScheduled, refreshDelay(current).toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void rotateScheduled() {
    if (closed) {
      return;
    }
    try {
      rotateNow();
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING, "token rotation failed, retrying in 1 s: " + e.getMessage());
      next = scheduler.schedule(this::rotateScheduled, 1, TimeUnit.SECONDS);
    }
  }

  /** The file this rotation writes. */
  Path writerFile() {
    return writer.file();
  }

  /** The token last written. */
  synchronized ProjectedToken current() {
    return current;
  }

  @Override
  public synchronized void close() {
    closed = true;
    scheduler.shutdownNow();
  }
}
