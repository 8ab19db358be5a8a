package dev.openwif.oidc;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A controllable {@link JwksFetcher} in front of an {@link InMemoryJwksFetcher}: while {@link
 * #hold() held}, every fetch blocks (at most 30 s, so a broken test cannot hang) until {@link
 * #release()}; counts fetches entered and the most that ran at once. Thread-safe.
 */
final class HeldFetcher implements JwksFetcher {
  private final InMemoryJwksFetcher behind;
  private final Object gate = new Object();
  private final AtomicInteger entered = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private boolean held;

  HeldFetcher(InMemoryJwksFetcher behind) {
    this.behind = behind;
  }

  void hold() {
    synchronized (gate) {
      held = true;
    }
  }

  void release() {
    synchronized (gate) {
      held = false;
      gate.notifyAll();
    }
  }

  /** Fetches started (held or not). */
  int entered() {
    return entered.get();
  }

  /** Fetches blocked or running now. */
  int inFlight() {
    return inFlight.get();
  }

  /** The most fetches that were in flight at once. */
  int maxInFlight() {
    return maxInFlight.get();
  }

  /** Waits until {@code n} fetches are in flight; false after {@code timeout}. */
  boolean awaitInFlight(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight.get() < n) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  @Override
  public FetchedDocument fetch(URI uri) throws IOException {
    entered.incrementAndGet();
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      synchronized (gate) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (held) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new IOException("held for 30 s");
          }
          gate.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
        }
      }
      return behind.fetch(uri);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while held");
    } finally {
      inFlight.decrementAndGet();
    }
  }
}
