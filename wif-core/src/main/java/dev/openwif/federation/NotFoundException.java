package dev.openwif.federation;

/** The object an admin request names does not exist. Answered as 404. */
public final class NotFoundException extends RuntimeException {
  private final String message;

  public NotFoundException(String message) {
    super(message, null, false, false);
    this.message = message;
  }

  /** The message given at construction, never null. */
  @Override
  public final String getMessage() {
    return message;
  }
}
