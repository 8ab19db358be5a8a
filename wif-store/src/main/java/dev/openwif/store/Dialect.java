package dev.openwif.store;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.postgresql.util.PSQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The seam between SQLite and PostgreSQL: the only place where SQL or database behaviour differs.
 * The schema, queries and mappings are shared. Immutable and thread-safe.
 */
sealed interface Dialect {

  /** {@code sqlite} or {@code postgresql}. */
  String name();

  /**
   * Flyway locations: the shared migrations, then this database's own (the audit log's recording
   * order).
   */
  default List<String> migrationLocations() {
    return List.of("classpath:db/migration/common", "classpath:db/migration/" + name());
  }

  /**
   * The isolation level for reads of an aggregate (a row and its child rows), so they see one
   * snapshot.
   */
  TransactionIsolationLevel readIsolation();

  /**
   * The {@code audit_log} column that orders events recorded in the same millisecond: increasing in
   * the order they were inserted.
   */
  String auditOrderColumn();

  /** What kind of constraint a failed statement broke, if any. */
  Optional<Violation> classify(SQLException e);

  /**
   * Called first in an admin write transaction: waits until no other admin transaction on this
   * database (from any process) is open, and holds that exclusion until this one ends.
   */
  void lockAdminWrites(Handle h);

  /** A broken constraint. */
  sealed interface Violation {
    record Unique(String table, List<String> columns) implements Violation {}

    record Reference() implements Violation {}
  }

  /** SQLite: one writer at a time, snapshot reads in deferred transactions. */
  record Sqlite() implements Dialect {
    // e.g. "[SQLITE_CONSTRAINT_UNIQUE] A UNIQUE constraint failed (UNIQUE constraint failed: t.a,
    // t.b)"
    private static final Pattern UNIQUE_COLUMNS =
        Pattern.compile("constraint failed: ([A-Za-z0-9_., ]+)");

    @Override
    public String name() {
      return "sqlite";
    }

    /**
     * Nothing to do: the write connection begins {@code IMMEDIATE} transactions, which take the
     * database's write lock at once, so every writing transaction, admin or not, from this process
     * or another, waits for it ({@code busy_timeout}).
     */
    @Override
    public void lockAdminWrites(Handle h) {}

    @Override
    public TransactionIsolationLevel readIsolation() {
      return TransactionIsolationLevel.SERIALIZABLE;
    }

    @Override
    public String auditOrderColumn() {
      return "rowid";
    }

    @Override
    public Optional<Violation> classify(SQLException e) {
      if (!(e instanceof SQLiteException se)) {
        return Optional.empty();
      }
      SQLiteErrorCode code = se.getResultCode();
      if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY) {
        return Optional.of(new Violation.Reference());
      }
      if (code != SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
          && code != SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) {
        return Optional.empty();
      }
      var m = UNIQUE_COLUMNS.matcher(String.valueOf(e.getMessage()));
      if (!m.find()) {
        return Optional.of(new Violation.Unique("unknown", List.of("unknown")));
      }
      List<String> qualified = Arrays.stream(m.group(1).split(",")).map(String::strip).toList();
      String table =
          qualified.getFirst().substring(0, Math.max(0, qualified.getFirst().indexOf('.')));
      return Optional.of(
          new Violation.Unique(
              table, qualified.stream().map(c -> c.substring(c.indexOf('.') + 1)).toList()));
    }
  }

  /** PostgreSQL: concurrent writers, repeatable-read snapshots for aggregate reads. */
  record Postgres() implements Dialect {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    /** The unique constraints of the schema, by the name PostgreSQL reports. */
    private static final Map<String, Violation.Unique> UNIQUE_KEYS =
        Map.ofEntries(
            unique("pk_projects", "projects", "id"),
            unique("pk_service_accounts", "service_accounts", "id"),
            unique("pk_workload_identity_providers", "workload_identity_providers", "id"),
            unique("uq_workload_identity_providers_name", "workload_identity_providers", "name"),
            unique(
                "pk_provider_transformations",
                "provider_transformations",
                "provider_id",
                "ordinal"),
            unique("pk_federation_rules", "federation_rules", "id"),
            unique("uq_federation_rules_provider_name", "federation_rules", "provider_id", "name"),
            unique("pk_federation_rule_matchers", "federation_rule_matchers", "rule_id", "ordinal"),
            unique(
                "uq_federation_rule_matchers_attribute",
                "federation_rule_matchers",
                "rule_id",
                "attribute"),
            unique("pk_federation_rule_scopes", "federation_rule_scopes", "rule_id", "scope"),
            unique("pk_admin_keys", "admin_keys", "id"),
            unique("uq_admin_keys_secret_hash", "admin_keys", "secret_hash"),
            unique("pk_resource_servers", "resource_servers", "id"),
            unique("uq_resource_servers_secret_hash", "resource_servers", "secret_hash"),
            unique("pk_signing_keys", "signing_keys", "kid"),
            unique("uq_audit_log_id", "audit_log", "id"),
            unique("pk_audit_log", "audit_log", "seq"));

    @Override
    public String name() {
      return "postgresql";
    }

    /**
     * A transaction-level advisory lock keyed by the schema, released at commit or rollback; only
     * admin transactions take it, so exchanges never wait for it.
     */
    @Override
    public void lockAdminWrites(Handle h) {
      h.createQuery("SELECT pg_advisory_xact_lock(hashtext('openwif.admin.' || current_schema()))")
          .mapToMap()
          .one();
    }

    @Override
    public TransactionIsolationLevel readIsolation() {
      return TransactionIsolationLevel.REPEATABLE_READ;
    }

    @Override
    public String auditOrderColumn() {
      return "seq";
    }

    @Override
    public Optional<Violation> classify(SQLException e) {
      if (FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
        return Optional.of(new Violation.Reference());
      }
      if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
        return Optional.empty();
      }
      String constraint =
          e instanceof PSQLException pe && pe.getServerErrorMessage() != null
              ? pe.getServerErrorMessage().getConstraint()
              : null;
      return Optional.of(
          constraint == null
              ? new Violation.Unique("unknown", List.of("unknown"))
              : UNIQUE_KEYS.getOrDefault(
                  constraint, new Violation.Unique("unknown", List.of(constraint))));
    }

    private static Map.Entry<String, Violation.Unique> unique(
        String constraint, String table, String... columns) {
      return Map.entry(constraint, new Violation.Unique(table, List.of(columns)));
    }
  }
}
