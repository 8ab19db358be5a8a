package dev.openwif.federation;

/** The object an admin request names does not exist. Answered as 404. */
public final class NotFoundException extends RuntimeException {
  public NotFoundException(String message) {
    super(message, null, false, false);
  }
}
