package dev.openwif.federation.admin;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises admin writes on one node so a check ("the name is free", "the provider has no rules")
 * and the write it guards cannot interleave with another write. Admin writes are rare; the exchange
 * path never takes this lock. Shared by every admin use case of a server; thread-safe.
 */
public final class AdminWriteLock {
  private final ReentrantLock lock = new ReentrantLock();

  public <T> T run(Supplier<T> write) {
    lock.lock();
    try {
      return write.get();
    } finally {
      lock.unlock();
    }
  }
}
