package dev.openwif.cli;

import java.util.concurrent.CountDownLatch;

/**
 * Keeps a started service running until the JVM is asked to stop (SIGTERM, Ctrl-C), then closes it
 * from the shutdown hook before the JVM exits.
 */
final class UntilShutdown {
  private UntilShutdown() {}

  /** Blocks the calling thread until shutdown; the service is closed exactly once, by the hook. */
  static void run(AutoCloseable service) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    service.close();
                  } catch (Exception e) {
                    System.err.println("error while stopping: " + e.getMessage());
                  } finally {
                    stopped.countDown();
                  }
                },
                "wif-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
