package dev.openwif.federation;

import java.util.function.Supplier;

/**
 * Runs one admin change (its checks, its writes and its audit row) as one transaction of the store,
 * serialized against every other admin change made through the same database, from this node or any
 * other: the checks read what the previous change committed, and a read-modify-write (a partial
 * update) cannot lose a concurrent one. What the work does through the store's repositories and
 * admin audit sink on the calling thread joins the transaction; when the work throws, nothing of it
 * is stored. Implementations are thread-safe.
 */
public interface AdminTransactions {
  /** Runs {@code work} inside one admin transaction; nested calls join the outer one. */
  <T> T inTransaction(Supplier<T> work);

  /**
   * No transaction: each repository call commits on its own. For stores without transactions
   * (tests).
   */
  static AdminTransactions none() {
    return new AdminTransactions() {
      @Override
      public <T> T inTransaction(Supplier<T> work) {
        return work.get();
      }
    };
  }
}
