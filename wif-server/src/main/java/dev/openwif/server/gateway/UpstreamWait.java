package dev.openwif.server.gateway;

import java.io.InterruptedIOException;

/**
 * Lets a timer end the blocking upstream I/O of the thread that made it: the upstream client blocks
 * on its socket in the request's own (virtual) thread, and interrupting a virtual thread blocked on
 * a socket closes that socket, so the read or write fails at once. {@link #fire()} interrupts the
 * thread only while it is inside {@link #enter()}…{@link #exit()}; fired outside, the next {@link
 * #enter()} fails instead, so the interrupt never lands on the client's connection while the thread
 * writes to it. {@link #exit()} clears an interrupt this wait delivered, so none leaks into the
 * server. One instance per upstream call and thread; {@link #fire()} may come from any thread.
 * Thread-safe.
 */
final class UpstreamWait {
  private final Thread thread;
  private boolean inside;
  private boolean fired;
  private boolean delivered;

  /** A wait for the current thread. */
  UpstreamWait() {
    this.thread = Thread.currentThread();
  }

  /**
   * Upstream I/O begins on the owning thread.
   *
   * @throws InterruptedIOException when the timer fired already
   */
  synchronized void enter() throws InterruptedIOException {
    if (fired) {
      throw new InterruptedIOException("the upstream timer fired");
    }
    inside = true;
  }

  /** Upstream I/O ended on the owning thread (normally or not); clears this wait's interrupt. */
  synchronized void exit() {
    inside = false;
    if (delivered) {
      delivered = false;
      Thread.interrupted(); // delivered under this lock, so it is there to clear
    }
  }

  /** The timer ran out: ends the owning thread's upstream I/O now or refuses the next. */
  synchronized void fire() {
    if (fired) {
      return;
    }
    fired = true;
    if (inside) {
      delivered = true;
      thread.interrupt();
    }
  }

  /** Whether {@link #fire()} was called. */
  synchronized boolean fired() {
    return fired;
  }
}
