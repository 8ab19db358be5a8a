package dev.openwif.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.openwif.federation.StoreUnavailableException;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jspecify.annotations.Nullable;

/**
 * The connections of an open store. Writes go through {@code writes} (on SQLite a pool of one
 * connection that begins {@code IMMEDIATE} transactions, so writes are serialized and never meet
 * {@code SQLITE_BUSY} inside the process); reads through {@code reads}. Constraint violations come
 * out as {@link UniqueViolationException} or {@link ReferenceViolationException}. Thread-safe.
 */
final class Database implements AutoCloseable {
  private static final String REFERENCE_PROBLEM =
      "a referenced object does not exist or the object is still referenced";
  private final Dialect dialect;
  private final Jdbi reads;
  private final Jdbi writes;
  private final Jdbi admissions;
  private final List<HikariDataSource> pools;

  /**
   * The handle of the admin transaction open on this thread, if any. Per instance on purpose (not
   * static): two stores open in one JVM (two nodes in a test) must not join each other's
   * transactions. Set and removed around each admin transaction, so nothing outlives it.
   */
  @SuppressWarnings("ThreadLocalUsage")
  private final ThreadLocal<@Nullable Handle> adminTransaction = new ThreadLocal<>();

  /** One pool for reads, writes and {@link #admission}s. */
  Database(Dialect dialect, HikariDataSource pool) {
    this(dialect, quiet(Jdbi.create(pool)), null, null, List.of(pool));
  }

  /** Separate pools for reads and writes (two distinct pools); admissions use the write pool. */
  Database(Dialect dialect, HikariDataSource readPool, HikariDataSource writePool) {
    this(
        dialect,
        quiet(Jdbi.create(readPool)),
        quiet(Jdbi.create(writePool)),
        null,
        List.of(writePool, readPool));
  }

  /**
   * @param writes the reads' when null
   * @param admissions the writes' when null
   * @param pools closed in this order by {@link #close}
   */
  private Database(
      Dialect dialect,
      Jdbi reads,
      @Nullable Jdbi writes,
      @Nullable Jdbi admissions,
      List<HikariDataSource> pools) {
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.reads = reads;
    this.writes = writes != null ? writes : reads;
    this.admissions = admissions != null ? admissions : this.writes;
    this.pools = pools;
  }

  /**
   * One pool for reads and writes, and {@code admissionPool}, a pool of its own for {@link
   * #admission}s whose every wait is short, so that the exchange's hot path never waits on the
   * general pool's long timeouts.
   */
  static Database withAdmissionPool(
      Dialect dialect, HikariDataSource pool, HikariDataSource admissionPool) {
    return new Database(
        dialect,
        quiet(Jdbi.create(pool)),
        null,
        quiet(Jdbi.create(admissionPool)),
        List.of(admissionPool, pool));
  }

  /**
   * Jdbi renders a failed statement's SQL and bound values into the exception message by default; a
   * failed insert of a signing key would then carry the private JWK into a log line. Messages keep
   * the database's own text only.
   */
  private static Jdbi quiet(Jdbi jdbi) {
    jdbi.getConfig(StatementExceptions.class)
        .setMessageRendering(StatementExceptions.MessageRendering.NONE);
    return jdbi;
  }

  Dialect dialect() {
    return dialect;
  }

  /**
   * One or more reads that need not see one snapshot; inside an {@link #inAdminTransaction admin
   * transaction}, on its connection (so they see its writes and what committed before it).
   */
  <T> T read(HandleCallback<T, RuntimeException> callback) {
    Handle joined = adminTransaction.get();
    try {
      return joined != null ? callback.withHandle(joined) : reads.withHandle(callback);
    } catch (JdbiException e) {
      throw unavailableOr(e);
    }
  }

  /**
   * One statement auto-committed on a pooled write connection, outside any admin transaction (one
   * round trip on PostgreSQL: no {@code BEGIN}/{@code COMMIT} around it). For the shared replay
   * memory, which the exchange asks on its hot path.
   */
  <T> T autoCommitted(HandleCallback<T, RuntimeException> callback) {
    try {
      return writes.withHandle(callback);
    } catch (JdbiException e) {
      throw unavailableOr(e);
    }
  }

  /**
   * One statement auto-committed on the admission pool (see {@link #withAdmissionPool}), for the
   * shared replay memory's admissions and give-backs: a database that stops answering fails it
   * within the admission pool's bounds, not the general pool's. Without an admission pool, like
   * {@link #autoCommitted}.
   */
  <T> T admission(HandleCallback<T, RuntimeException> callback) {
    try {
      return admissions.withHandle(callback);
    } catch (JdbiException e) {
      throw unavailableOr(e);
    }
  }

  /**
   * Reads of an aggregate (a row and its child rows) that must see one consistent snapshot; inside
   * an admin transaction, on its connection (no other admin write can change the rows meanwhile).
   */
  <T> T readSnapshot(HandleCallback<T, RuntimeException> callback) {
    Handle joined = adminTransaction.get();
    try {
      return joined != null
          ? callback.withHandle(joined)
          : reads.inTransaction(dialect.readIsolation(), callback);
    } catch (JdbiException e) {
      throw unavailableOr(e);
    }
  }

  /**
   * Runs {@code work} in one write transaction that every {@link #read}, {@link #readSnapshot} and
   * {@link #write} made by {@code work} on this thread joins, after {@link
   * Dialect#lockAdminWrites}: admin transactions on one database never overlap, from any process.
   * Commits when {@code work} returns, rolls back when it throws. A nested call joins the outer
   * transaction.
   */
  <T> T inAdminTransaction(Supplier<T> work) {
    if (adminTransaction.get() != null) {
      return work.get();
    }
    try {
      return writes.inTransaction(
          h -> {
            dialect.lockAdminWrites(h);
            adminTransaction.set(h);
            try {
              return work.get();
            } finally {
              adminTransaction.remove();
            }
          });
    } catch (JdbiException e) {
      throw translate(e, REFERENCE_PROBLEM);
    }
  }

  /**
   * Writes in one transaction (inside an {@link #inAdminTransaction admin transaction}, in that
   * one).
   *
   * @param referenceProblem what a foreign-key violation means for this write, e.g. "the provider
   *     does not exist"
   */
  <T> T write(String referenceProblem, HandleCallback<T, RuntimeException> callback) {
    Handle joined = adminTransaction.get();
    try {
      return joined != null ? callback.withHandle(joined) : writes.inTransaction(callback);
    } catch (JdbiException e) {
      throw translate(e, referenceProblem);
    }
  }

  <T> T write(HandleCallback<T, RuntimeException> callback) {
    return write(REFERENCE_PROBLEM, callback);
  }

  private RuntimeException translate(JdbiException e, String referenceProblem) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        var violation = dialect.classify(sql);
        if (violation.isPresent()) {
          return switch (violation.get()) {
            case Dialect.Violation.Unique u ->
                new UniqueViolationException(u.table(), u.columns(), e);
            case Dialect.Violation.Reference r ->
                new ReferenceViolationException(referenceProblem, e);
          };
        }
      }
    }
    return unavailableOr(e);
  }

  /**
   * A {@link StoreUnavailableException} when the failure is one worth retrying (connection lost or
   * refused, no pooled connection in time, statement or lock timeout, SQLite busy), else {@code e}.
   */
  private static RuntimeException unavailableOr(JdbiException e) {
    if (AuditWriteFailures.worthRetrying(e)) {
      return new StoreUnavailableException(
          "the database is unavailable: " + AuditWriteFailures.describe(e), e);
    }
    return e;
  }

  /**
   * Asks a pooled read connection whether it is alive ({@link java.sql.Connection#isValid}, a round
   * trip on PostgreSQL) within {@code timeout}, rounded up to whole seconds.
   *
   * @throws StoreUnavailableException when no connection could be had or it did not answer
   */
  void ping(java.time.Duration timeout) {
    int seconds = (int) Math.max(1, Math.min(60, (timeout.toMillis() + 999) / 1000));
    boolean valid;
    try {
      valid =
          reads.withHandle(
              h -> {
                try {
                  return h.getConnection().isValid(seconds);
                } catch (java.sql.SQLException e) {
                  return false; // only for a negative timeout, which this never passes
                }
              });
    } catch (JdbiException e) {
      RuntimeException translated = unavailableOr(e);
      throw translated instanceof StoreUnavailableException
          ? translated
          : new StoreUnavailableException(
              "the database is unavailable: " + AuditWriteFailures.describe(e), e);
    }
    if (!valid) {
      throw new StoreUnavailableException(
          "the database did not answer within " + seconds + " s",
          new java.sql.SQLTimeoutException("no answer to the validity check"));
    }
  }

  @Override
  public void close() {
    pools.forEach(HikariDataSource::close);
  }
}
