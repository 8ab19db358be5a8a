package dev.openwif.attribute;

/**
 * Evaluating a transformation over a token's claims failed (a missing claim, a type error, or a
 * result that is not a string, boolean, number or list of strings). {@link #detail()} is safe for
 * the audit log: it names the attribute and CEL's reason, never a claim value.
 */
public final class TransformationFailedException extends Exception {
  private final String detail;

  public TransformationFailedException(String detail) {
    super(detail, null, false, false);
    this.detail = detail;
  }

  public String detail() {
    return detail;
  }
}
