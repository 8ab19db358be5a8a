package dev.openwif.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Locale;
import java.util.Set;

/**
 * Tells a failed audit write worth retrying (the database unreachable, slow, locked or asking for a
 * retry) from one that will fail again however often it is tried (a data error, a constraint, a
 * bug), and describes a failure for the log without any event content.
 */
final class AuditWriteFailures {
  /**
   * SQLSTATE classes worth retrying: 08 connection, 40 transaction rollback (serialization,
   * deadlock), 53 insufficient resources, 57 operator intervention (statement timeout, server
   * shutting down), 58 system error (I/O), HY timeout.
   */
  private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53", "57", "58", "HY");

  /** SQLSTATEs worth retrying outside those classes: 55P03 lock_not_available. */
  private static final Set<String> TRANSIENT_STATES = Set.of("55P03");

  /** SQLite result codes worth retrying: BUSY, LOCKED, IOERR, FULL, CANTOPEN. */
  private static final Set<Integer> SQLITE_TRANSIENT = Set.of(5, 6, 10, 13, 14);

  private static final int MAX_MESSAGE = 200;

  private AuditWriteFailures() {}

  /** True when writing the same batch again may succeed. */
  static boolean worthRetrying(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if (state != null && state.length() == 5) {
          String upper = state.toUpperCase(Locale.ROOT);
          if (TRANSIENT_CLASSES.contains(upper.substring(0, 2))
              || TRANSIENT_STATES.contains(upper)) {
            return true;
          }
        } else if (state == null && SQLITE_TRANSIENT.contains(sql.getErrorCode() & 0xFF)) {
          return true; // SQLite reports its result code, not a SQLSTATE
        }
      }
    }
    return false;
  }

  /**
   * The failure for a log line: its class, the SQLSTATE when there is one, and the message cut to
   * 200 characters (Jdbi does not render bound values and PostgreSQL's row detail is turned off, so
   * no event content appears).
   */
  static String describe(Throwable failure) {
    StringBuilder s = new StringBuilder(failure.getClass().getName());
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        s.append(" [SQLSTATE ").append(sql.getSQLState()).append(']');
        break;
      }
    }
    String message = String.valueOf(failure.getMessage()).replaceAll("\\s+", " ");
    s.append(": ")
        .append(
            message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "...");
    return s.toString();
  }
}
