package dev.openwif.server.sts;

import dev.openwif.audit.AuditLog;
import dev.openwif.audit.AuditSink;
import dev.openwif.federation.AdminKeyRepository;
import dev.openwif.federation.AdminTransactions;
import dev.openwif.federation.FederationStore;
import dev.openwif.federation.ProjectRepository;
import dev.openwif.federation.ProviderRepository;
import dev.openwif.federation.ResourceServerRepository;
import dev.openwif.federation.RuleRepository;
import dev.openwif.federation.ServiceAccountRepository;
import dev.openwif.token.SigningKeyRepository;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link FederationStore} wrapper for tests that proves what does not touch the database: every
 * call on a repository is counted, and while {@link #block(boolean) blocked} it fails as if the
 * database were gone. The audit sinks, the audit log and admin transactions pass through (the
 * exchange writes one audit event per attempt).
 */
final class GuardedStore implements FederationStore {
  private final FederationStore delegate;
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicBoolean blocked = new AtomicBoolean();
  private final ProjectRepository projects;
  private final ServiceAccountRepository serviceAccounts;
  private final ProviderRepository providers;
  private final RuleRepository rules;
  private final AdminKeyRepository adminKeys;
  private final ResourceServerRepository resourceServers;
  private final SigningKeyRepository signingKeys;

  GuardedStore(FederationStore delegate) {
    this.delegate = delegate;
    projects = guard(ProjectRepository.class, delegate.projects());
    serviceAccounts = guard(ServiceAccountRepository.class, delegate.serviceAccounts());
    providers = guard(ProviderRepository.class, delegate.providers());
    rules = guard(RuleRepository.class, delegate.rules());
    adminKeys = guard(AdminKeyRepository.class, delegate.adminKeys());
    resourceServers = guard(ResourceServerRepository.class, delegate.resourceServers());
    signingKeys = guard(SigningKeyRepository.class, delegate.signingKeys());
  }

  /** While blocked, every repository call throws. */
  void block(boolean value) {
    blocked.set(value);
  }

  /** Repository calls so far. */
  int calls() {
    return calls.get();
  }

  private <T> T guard(Class<T> type, T target) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return method.invoke(target, args);
              }
              calls.incrementAndGet();
              if (blocked.get()) {
                throw new IllegalStateException(
                    "database blocked by the test: "
                        + type.getSimpleName()
                        + "."
                        + method.getName());
              }
              try {
                return method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            }));
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

  @Override
  public AuditSink auditSink() {
    return delegate.auditSink();
  }

  @Override
  public AuditLog auditLog() {
    return delegate.auditLog();
  }

  @Override
  public AdminTransactions adminTransactions() {
    return delegate.adminTransactions();
  }

  @Override
  public AuditSink adminAuditSink() {
    return delegate.adminAuditSink();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
