package dev.openwif.oidc;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The executor every {@link DiscoveryKeySource} of a server fetches on: at most {@code concurrent}
 * fetches run at once, on virtual threads, whatever the number of issuers; up to {@code queued}
 * more wait their turn (each issuer has at most one fetch, running or waiting, so the queue holds
 * at most one entry per provider); beyond that a fetch is refused and counts as failed. No request
 * thread ever runs a fetch. Thread-safe; {@link #close()} interrupts the running fetches.
 */
public final class IssuerFetchPool implements Executor, AutoCloseable {
  /** Fetches running at once, all issuers together. */
  public static final int DEFAULT_CONCURRENT_FETCHES = 16;

  /** Fetches waiting for a free slot. */
  public static final int DEFAULT_QUEUED_FETCHES = 10_000;

  private final ThreadPoolExecutor pool;

  public IssuerFetchPool(int concurrent, int queued) {
    if (concurrent < 1 || queued < 1) {
      throw new IllegalArgumentException("concurrent and queued must be positive");
    }
    this.pool =
        new ThreadPoolExecutor(
            concurrent,
            concurrent,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(queued),
            Thread.ofVirtual().name("issuer-fetch-", 0).factory(),
            new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
  }

  /** {@link #DEFAULT_CONCURRENT_FETCHES} at once, {@link #DEFAULT_QUEUED_FETCHES} waiting. */
  public static IssuerFetchPool withDefaults() {
    return new IssuerFetchPool(DEFAULT_CONCURRENT_FETCHES, DEFAULT_QUEUED_FETCHES);
  }

  /**
   * Runs {@code fetch} when a slot is free.
   *
   * @throws java.util.concurrent.RejectedExecutionException when the queue is full or the pool
   *     closed
   */
  @Override
  public void execute(Runnable fetch) {
    pool.execute(fetch);
  }

  /** Fetches running now (for tests and diagnostics). */
  public int active() {
    return pool.getActiveCount();
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
