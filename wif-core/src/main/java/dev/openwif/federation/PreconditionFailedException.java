package dev.openwif.federation;

/**
 * A conditional admin change refused because the object no longer is the version the client last
 * saw (HTTP {@code If-Match} naming another entity tag). Nothing was changed. The message is safe
 * to show and names the object's current tag, so the client can read the object again and retry.
 * Answered as 412.
 */
public final class PreconditionFailedException extends RuntimeException {
  private final String message;

  public PreconditionFailedException(String message) {
    super(message, null, false, false);
    this.message = message;
  }

  /** The message given at construction, never null. */
  @Override
  public String getMessage() {
    return message;
  }
}
