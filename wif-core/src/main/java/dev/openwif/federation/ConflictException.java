package dev.openwif.federation;

import java.util.Objects;
import java.util.Optional;

/**
 * A change that conflicts with stored state (a duplicate name, deleting a provider that still has
 * rules). Answered as 409 with {@code x-should-retry: false}: retrying the same request cannot
 * succeed.
 */
public final class ConflictException extends RuntimeException {
  private final Optional<String> param;

  public ConflictException(Optional<String> param, String message) {
    super(message, null, false, false);
    this.param = Objects.requireNonNull(param, "param");
  }

  /** The field the conflict is about, when there is one. */
  public Optional<String> param() {
    return param;
  }
}
