package dev.openwif.federation;

import dev.openwif.audit.AuditLog;
import dev.openwif.audit.AuditSink;
import dev.openwif.token.SigningKeyRepository;
import dev.openwif.usage.UsageRepository;

/**
 * Everything the server persists, behind one handle; implemented by SQLite and PostgreSQL stores.
 */
public interface FederationStore extends AutoCloseable {
  ProjectRepository projects();

  ServiceAccountRepository serviceAccounts();

  ProviderRepository providers();

  RuleRepository rules();

  AdminKeyRepository adminKeys();

  ResourceServerRepository resourceServers();

  SigningKeyRepository signingKeys();

  AuditSink auditSink();

  /**
   * How admin changes run as one transaction; by default {@link AdminTransactions#none()} (each
   * write commits on its own).
   */
  default AdminTransactions adminTransactions() {
    return AdminTransactions.none();
  }

  /**
   * Where admin changes are audited: each event is stored before {@link AuditSink#record} returns,
   * inside the caller's {@link #adminTransactions() admin transaction} when there is one, and a
   * failure to store it throws (so the change is rolled back, never left unaudited). By default
   * {@link #auditSink()}.
   */
  default AuditSink adminAuditSink() {
    return auditSink();
  }

  AuditLog auditLog();

  /**
   * The replay memory every node on this database shares, when the store is one several nodes can
   * share (PostgreSQL); empty when each server keeps its own (SQLite, a single node). {@code clock}
   * tells expired entries from live ones.
   */
  default java.util.Optional<ReplayMemory> sharedReplayMemory(java.time.Clock clock) {
    return java.util.Optional.empty();
  }

  /**
   * How nodes on this database tell each other about changes, when several nodes can share it
   * (PostgreSQL); empty otherwise (each node polls).
   */
  default java.util.Optional<ChangeChannel> changeChannel() {
    return java.util.Optional.empty();
  }

  /** The gateway's usage counts; by default a store keeps none. */
  default UsageRepository usage() {
    return UsageRepository.discarding();
  }

  /**
   * Checks that the database answers a trivial query within about {@code timeout} (for a readiness
   * probe; a pooled connection may take longer to obtain when every one is busy or broken). By
   * default (a store with nothing to reach) does nothing.
   *
   * @throws StoreUnavailableException when it does not answer, naming why
   */
  default void ping(java.time.Duration timeout) {}

  @Override
  void close();
}
