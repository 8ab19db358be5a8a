package dev.openwif.cli.multinode;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping the test's child processes. Stateless. */
final class Processes {
  private Processes() {}

  /**
   * SIGTERM, then SIGKILL when {@code process} has not exited within {@code grace}; returns at once
   * when it is not running. Never throws: a cleanup step must not skip the next one.
   */
  static void stop(Process process, Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
