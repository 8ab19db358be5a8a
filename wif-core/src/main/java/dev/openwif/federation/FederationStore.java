package dev.openwif.federation;

import dev.openwif.audit.AuditLog;
import dev.openwif.audit.AuditSink;
import dev.openwif.token.SigningKeyRepository;

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

  @Override
  void close();
}
