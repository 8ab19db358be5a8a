package dev.openwif.federation;

/**
 * The database could not be reached or did not answer in time (connection lost or refused, a
 * statement or lock timeout, a busy SQLite file). Almost always the operation did not happen — an
 * admin change was rolled back with its audit row — and the same request may succeed later; only a
 * connection lost during the commit itself leaves the outcome unknown. Answered as 503 with {@code
 * Retry-After}. The message names the kind of failure (class and SQLSTATE), never a bound value.
 */
public class StoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
