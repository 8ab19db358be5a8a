package dev.openwif.oidc;

/**
 * The issuer's keys could not be obtained and no usable cached keys exist (never fetched, or the
 * last-known-good keys are older than the allowed staleness). The token endpoint answers 503 {@code
 * temporarily_unavailable}: the token itself was not judged. The message names the issuer and the
 * cause.
 */
public final class IssuerUnavailableException extends RuntimeException {
  private final String detail;

  public IssuerUnavailableException(String message) {
    super(message, null, false, false);
    this.detail = message;
  }

  /** The message, never null: names the issuer and the cause. */
  public String detail() {
    return detail;
  }
}
