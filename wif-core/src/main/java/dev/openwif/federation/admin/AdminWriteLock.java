package dev.openwif.federation.admin;

import dev.openwif.federation.AdminTransactions;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises admin writes so a check ("the name is free", "the provider has no rules"), the
 * read-modify-write of a partial update, the write and its audit row cannot interleave with another
 * admin write: on this node with a lock, across nodes and processes sharing the database with one
 * {@link AdminTransactions admin transaction} per write (which also makes the change and its audit
 * row commit together, or not at all). Admin writes are rare; the exchange path never takes this
 * lock. Shared by every admin use case of a server; thread-safe.
 */
public final class AdminWriteLock {
  private final ReentrantLock lock = new ReentrantLock();
  private final AdminTransactions transactions;

  public AdminWriteLock(AdminTransactions transactions) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
  }

  /**
   * Runs {@code write} (its reads, checks, writes and audit) under the lock, in one admin
   * transaction.
   */
  public <T> T run(Supplier<T> write) {
    lock.lock();
    try {
      return transactions.inTransaction(write);
    } finally {
      lock.unlock();
    }
  }

  /** {@link #run} for a write that returns nothing. */
  public void runVoid(Runnable write) {
    run(
        () -> {
          write.run();
          return Boolean.TRUE;
        });
  }
}
