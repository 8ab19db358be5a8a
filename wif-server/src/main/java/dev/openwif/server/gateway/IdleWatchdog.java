package dev.openwif.server.gateway;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Notices streams that have gone quiet: each {@link Watch} is told of activity with {@link
 * Watch#touch()} (one volatile write), and runs its action once when nothing happened for the idle
 * time. One daemon thread serves every watch, so a stream does not need a thread of its own to be
 * timed; a watch holds one scheduled check at a time, re-armed for the time left when it finds
 * activity. Thread-safe.
 */
final class IdleWatchdog implements AutoCloseable {
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "openwif-upstream-idle");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * Starts watching: {@code onIdle} runs (on the watchdog's thread, so it must not block) once
   * nothing called {@link Watch#touch()} for {@code idle}, unless the watch was closed first.
   */
  Watch watch(Duration idle, Runnable onIdle) {
    if (!idle.isPositive()) {
      throw new IllegalArgumentException("idle must be positive");
    }
    Watch watch = new Watch(idle.toNanos(), Objects.requireNonNull(onIdle, "onIdle"));
    watch.arm(watch.idleNanos);
    return watch;
  }

  /** Stops the thread; watches still open never fire. */
  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  /** One watched stream. Thread-safe. */
  final class Watch implements AutoCloseable {
    private final long idleNanos;
    private final Runnable onIdle;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean fired;
    private volatile @Nullable ScheduledFuture<?> pending;

    private Watch(long idleNanos, Runnable onIdle) {
      this.idleNanos = idleNanos;
      this.onIdle = onIdle;
    }

    /** Something happened: the idle time starts again. */
    void touch() {
      lastActivity = System.nanoTime();
    }

    /** Whether the action ran (the stream was idle too long). */
    boolean fired() {
      return fired;
    }

    private void arm(long delayNanos) {
      if (done.get()) {
        return;
      }
      try {
        pending = scheduler.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        // the watchdog is closing with the server: nothing left to time
      }
    }

    private void check() {
      if (done.get()) {
        return;
      }
      long quiet = System.nanoTime() - lastActivity;
      if (quiet < idleNanos) {
        arm(idleNanos - quiet);
        return;
      }
      if (done.compareAndSet(false, true)) {
        fired = true;
        onIdle.run();
      }
    }

    /** Stops watching; the action does not run after this returns unless it already had. */
    @Override
    public void close() {
      if (done.compareAndSet(false, true)) {
        ScheduledFuture<?> scheduled = pending;
        if (scheduled != null) {
          scheduled.cancel(false);
        }
      }
    }
  }
}
