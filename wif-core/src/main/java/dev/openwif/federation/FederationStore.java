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

  AuditLog auditLog();

  /** The gateway's usage counts; by default a store keeps none. */
  default UsageRepository usage() {
    return UsageRepository.discarding();
  }

  @Override
  void close();
}
