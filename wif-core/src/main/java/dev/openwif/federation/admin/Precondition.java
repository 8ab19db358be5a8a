package dev.openwif.federation.admin;

import dev.openwif.federation.PreconditionFailedException;

/**
 * A client's condition on the current state of an object it changes: checked by the admin use case
 * inside the same {@link AdminWriteLock admin transaction} as the write, against the object as
 * stored, so no other write can slip between the check and the change.
 *
 * @param <T> the object's type
 */
@FunctionalInterface
public interface Precondition<T> {
  /**
   * Returns normally when {@code current} satisfies the condition; otherwise throws {@link
   * PreconditionFailedException}.
   */
  void check(T current);

  /** No condition: the change is unconditional. */
  static <T> Precondition<T> none() {
    return current -> {};
  }
}
