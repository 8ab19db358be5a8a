package dev.openwif.client;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

/** Runs tasks at once, or queues them (after {@link #queueing()}) until the test runs them. */
final class ManualExecutor implements Executor {
  private final Deque<Runnable> queued = new ArrayDeque<>();
  private boolean queueing;

  synchronized ManualExecutor queueing() {
    queueing = true;
    return this;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      if (queueing) {
        queued.add(task);
        return;
      }
    }
    task.run();
  }

  synchronized int pending() {
    return queued.size();
  }

  void runPending() {
    Runnable task;
    while ((task = poll()) != null) {
      task.run();
    }
  }

  private synchronized Runnable poll() {
    return queued.poll();
  }
}
