package dev.openwif.audit;

/**
 * Thrown by {@link AuditSink#record} when the sink cannot take the event within its short bound
 * (the audit queue is full because the database is slow or unreachable). The event is not stored; a
 * caller about to grant something must fail closed: the token endpoint answers 503 {@code
 * temporarily_unavailable} and issues nothing. The message says why (queue depth, wait), never an
 * event's content. No stack trace is recorded: it is an expected condition under a database stall,
 * met once per refused request.
 */
public final class AuditUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AuditUnavailableException(String reason) {
    super(reason, null, false, false);
  }
}
