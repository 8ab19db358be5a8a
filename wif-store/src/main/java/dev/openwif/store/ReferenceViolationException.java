package dev.openwif.store;

import dev.openwif.federation.ConflictException;
import java.util.Optional;

/**
 * A write was refused by a foreign key: it names an object that does not exist (a rule of an
 * unknown provider, a service account of an unknown project), or deletes one that is still
 * referenced (a provider that still has rules). Callers check first; this is the backstop, raised
 * by the database: a {@link ConflictException} whose message says which reference, by id.
 */
public final class ReferenceViolationException extends ConflictException {
  private static final long serialVersionUID = 1L;

  public ReferenceViolationException(String message, Throwable cause) {
    super(Optional.empty(), message, cause);
  }
}
