package dev.openwif.store;

import dev.openwif.audit.AuditLog;
import dev.openwif.audit.AuditSink;
import dev.openwif.federation.AdminKeyRepository;
import dev.openwif.federation.AdminTransactions;
import dev.openwif.federation.ChangeChannel;
import dev.openwif.federation.FederationStore;
import dev.openwif.federation.ProjectRepository;
import dev.openwif.federation.ProviderRepository;
import dev.openwif.federation.ReplayMemory;
import dev.openwif.federation.ResourceServerRepository;
import dev.openwif.federation.RuleRepository;
import dev.openwif.federation.ServiceAccountRepository;
import dev.openwif.token.SigningKeyRepository;
import dev.openwif.usage.UsageRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The SQLite or PostgreSQL store: every repository over one set of pooled connections, and an audit
 * sink that writes in batches off the caller's thread. Obtained from {@link Stores#open(String)}.
 * Thread-safe; {@link #close()} drains the audit queue (for a bounded time, see {@link
 * AuditQueueSettings#closeDrain()}), then closes the connections.
 */
public final class JdbcFederationStore implements FederationStore {
  private final Database db;
  private final ProjectRepository projects;
  private final ServiceAccountRepository serviceAccounts;
  private final ProviderRepository providers;
  private final RuleRepository rules;
  private final AdminKeyRepository adminKeys;
  private final ResourceServerRepository resourceServers;
  private final SigningKeyRepository signingKeys;
  private final BatchingAuditSink auditSink;
  private final AuditLog auditLog;
  private final UsageRepository usage;
  private final AdminTransactions adminTransactions;
  private final AuditSink adminAuditSink;
  private final String description;
  private final Optional<ChangeChannel> changeChannel;

  JdbcFederationStore(Database db, String description) {
    this(db, description, AuditQueueSettings.DEFAULTS);
  }

  JdbcFederationStore(Database db, String description, AuditQueueSettings auditQueue) {
    this(db, description, auditQueue, Optional.empty());
  }

  JdbcFederationStore(
      Database db,
      String description,
      AuditQueueSettings auditQueue,
      Optional<PostgresChangeChannel.Connector> listenConnections) {
    this.db = Objects.requireNonNull(db, "db");
    this.changeChannel =
        listenConnections.map(connector -> new PostgresChangeChannel(db, connector));
    this.description = Objects.requireNonNull(description, "description");
    this.projects = new JdbcProjectRepository(db);
    this.serviceAccounts = new JdbcServiceAccountRepository(db);
    this.providers = new JdbcProviderRepository(db);
    this.rules = new JdbcRuleRepository(db);
    this.adminKeys = new JdbcAdminKeyRepository(db);
    this.resourceServers = new JdbcResourceServerRepository(db);
    this.signingKeys = new JdbcSigningKeyRepository(db);
    this.auditSink =
        BatchingAuditSink.start(
            events ->
                db.write(
                    h -> {
                      AuditRows.insert(h, events);
                      return null;
                    }),
            auditQueue);
    this.auditLog = new JdbcAuditLog(db, auditSink);
    this.usage = new JdbcUsageRepository(db);
    this.adminTransactions =
        new AdminTransactions() {
          @Override
          public <T> T inTransaction(Supplier<T> work) {
            return db.inAdminTransaction(work);
          }
        };
    this.adminAuditSink =
        event ->
            db.write(
                h -> {
                  AuditRows.insert(h, List.of(event));
                  return event;
                });
  }

  @Override
  public void ping(java.time.Duration timeout) {
    db.ping(timeout);
  }

  /**
   * Streams the audit rows recorded at or after {@code since}, oldest first, to {@code each}, one
   * at a time ({@link AuditExport}); returns how many. Events still queued are written first.
   */
  public long exportAudit(Instant since, Consumer<Map<String, Object>> each) {
    auditSink.flush();
    return new AuditExport(db).export(since, each);
  }

  /** {@code sqlite} or {@code postgresql}. */
  public String dialect() {
    return db.dialect().name();
  }

  /** Where the store is, for messages: the file path or the URL without its password. */
  public String description() {
    return description;
  }

  @Override
  public ProjectRepository projects() {
    return projects;
  }

  @Override
  public ServiceAccountRepository serviceAccounts() {
    return serviceAccounts;
  }

  @Override
  public ProviderRepository providers() {
    return providers;
  }

  @Override
  public RuleRepository rules() {
    return rules;
  }

  @Override
  public AdminKeyRepository adminKeys() {
    return adminKeys;
  }

  @Override
  public ResourceServerRepository resourceServers() {
    return resourceServers;
  }

  @Override
  public SigningKeyRepository signingKeys() {
    return signingKeys;
  }

  /**
   * The batching sink; {@link FlushableAuditSink#flush()} makes recorded events visible to queries.
   */
  @Override
  public FlushableAuditSink auditSink() {
    return auditSink;
  }

  /**
   * The audit log; each {@code list} first flushes the sink, so it sees every event recorded
   * before.
   */
  @Override
  public AuditLog auditLog() {
    return auditLog;
  }

  /**
   * Admin transactions: on SQLite an {@code IMMEDIATE} transaction of the single writer connection
   * (the database's write lock); on PostgreSQL a transaction holding an advisory lock that only
   * admin transactions take. Repositories and {@link #adminAuditSink()} called inside join it.
   */
  @Override
  public AdminTransactions adminTransactions() {
    return adminTransactions;
  }

  /**
   * Writes each admin event before returning, bypassing the batching sink: in the caller's admin
   * transaction when there is one (so the change and its audit row commit together), in its own
   * otherwise. Throws when the row cannot be stored.
   */
  @Override
  public AuditSink adminAuditSink() {
    return adminAuditSink;
  }

  /**
   * On PostgreSQL the {@code subject_token_uses} table ({@link JdbcReplayMemory}), shared by every
   * node on the database; on SQLite empty (a single node keeps the memory in its process, which
   * costs no database round trip per exchange).
   */
  @Override
  public Optional<ReplayMemory> sharedReplayMemory(Clock clock) {
    return db.dialect() instanceof Dialect.Postgres
        ? Optional.of(new JdbcReplayMemory(db, clock))
        : Optional.empty();
  }

  /** On PostgreSQL, {@code LISTEN}/{@code NOTIFY} ({@link PostgresChangeChannel}). */
  @Override
  public Optional<ChangeChannel> changeChannel() {
    return changeChannel;
  }

  /** The gateway's usage counts in {@code gateway_usage}. */
  @Override
  public UsageRepository usage() {
    return usage;
  }

  @Override
  public void close() {
    try {
      auditSink.close();
    } finally {
      db.close();
    }
  }

  @Override
  public String toString() {
    return "JdbcFederationStore[" + dialect() + " " + description + "]";
  }
}
