package dev.openwif.federation;

import java.util.Objects;
import java.util.Optional;

/**
 * A change that conflicts with stored state (a duplicate name, deleting a provider that still has
 * rules), raised by an admin use case's own check or by a repository as the database's backstop (a
 * store adapter may subclass it to add what it knows). The message is safe to show. Answered as 409
 * with {@code x-should-retry: false}: retrying the same request cannot succeed.
 */
public class ConflictException extends RuntimeException {
  private final String message;

  private final Optional<String> param;

  public ConflictException(Optional<String> param, String message) {
    super(message, null, false, false);
    this.message = message;
    this.param = Objects.requireNonNull(param, "param");
  }

  /** A conflict the store detected; {@code cause} is the database's exception. */
  protected ConflictException(Optional<String> param, String message, Throwable cause) {
    super(message, cause);
    this.message = message;
    this.param = Objects.requireNonNull(param, "param");
  }

  /** The field the conflict is about, when there is one. */
  public Optional<String> param() {
    return param;
  }

  /** The message given at construction, never null. */
  @Override
  public final String getMessage() {
    return message;
  }
}
