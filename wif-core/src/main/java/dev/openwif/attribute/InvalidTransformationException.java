package dev.openwif.attribute;

/**
 * A transformation that cannot be compiled: {@link #index()} is its position in the provider's
 * list, {@link #attribute()} its name, and the message carries CEL's own error with {@code
 * line:column}.
 */
public final class InvalidTransformationException extends Exception {
  private final int index;
  private final String attribute;
  private final String detail;

  public InvalidTransformationException(int index, String attribute, String message) {
    super(message);
    this.detail = message;
    this.index = index;
    this.attribute = attribute;
  }

  public int index() {
    return index;
  }

  /** The message, never null: CEL's error with {@code line:column}. */
  public String detail() {
    return detail;
  }

  public String attribute() {
    return attribute;
  }
}
