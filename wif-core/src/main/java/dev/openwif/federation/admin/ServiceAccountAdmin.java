package dev.openwif.federation.admin;

import dev.openwif.federation.AdminValidationException;
import dev.openwif.federation.ConflictException;
import dev.openwif.federation.FederationChangeListener;
import dev.openwif.federation.FederationStore;
import dev.openwif.federation.IdGenerator;
import dev.openwif.federation.NotFoundException;
import dev.openwif.federation.Page;
import dev.openwif.federation.PageRequest;
import dev.openwif.federation.Project;
import dev.openwif.federation.ProjectRepository;
import dev.openwif.federation.RuleRepository;
import dev.openwif.federation.ServiceAccount;
import dev.openwif.federation.ServiceAccountRateLimits;
import dev.openwif.federation.ServiceAccountRepository;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Admin use cases for a project's service accounts: create, retrieve, list, rename, set the {@code
 * /v1} rate limits ({@link RateLimitsPatch}), delete. A service account always has role {@code
 * member}; no long-lived API key is ever minted for it (workloads get short-lived access tokens
 * through federation rules instead). Deleting an account that federation rules still map to is
 * refused ({@link ConflictException}) so no rule is left pointing nowhere. Each change, its checks
 * and its audit row ({@code service_account.created|updated|deleted}) run in one {@link
 * AdminWriteLock admin transaction} (an update reads the account it patches inside it); then the
 * change is announced to the {@link FederationChangeListener}. Thread-safe when the ports are.
 */
public final class ServiceAccountAdmin {
  /** How the admin API names the object holding an account's limits. */
  public static final String RATE_LIMITS = "rate_limits";

  private final ProjectRepository projects;
  private final ServiceAccountRepository accounts;
  private final RuleRepository rules;
  private final AdminWriteLock writeLock;
  private final AdminAudit audit;
  private final FederationChangeListener changed;
  private final Clock clock;
  private final IdGenerator ids;

  public ServiceAccountAdmin(
      FederationStore store,
      AdminWriteLock writeLock,
      AdminAudit audit,
      FederationChangeListener changed,
      Clock clock,
      IdGenerator ids) {
    this.projects = store.projects();
    this.accounts = store.serviceAccounts();
    this.rules = store.rules();
    this.writeLock = Objects.requireNonNull(writeLock, "writeLock");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.changed = Objects.requireNonNull(changed, "changed");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  public ServiceAccount create(String projectId, String name, ChangeNote note) {
    return create(projectId, name, RateLimitsPatch.none(), note);
  }

  /**
   * A new account with the rate limits {@code limits} sets (unlimited for those it leaves absent).
   *
   * @throws AdminValidationException naming {@code rate_limits.<field>} when a limit is out of
   *     range
   */
  public ServiceAccount create(
      String projectId, String name, RateLimitsPatch limits, ChangeNote note) {
    ProviderValidator.checkText("name", name, ProviderValidator.MAX_TEXT);
    ServiceAccountRateLimits rateLimits =
        limits.apply(ServiceAccountRateLimits.unlimited(), RATE_LIMITS);
    ServiceAccount account =
        writeLock.run(
            () -> {
              Project project = activeProject(projectId);
              ServiceAccount created =
                  new ServiceAccount(
                      ids.next("svc_acct"),
                      project.id(),
                      name,
                      "member",
                      clock.instant(),
                      rateLimits);
              accounts.insert(created);
              audit.record("service_account.created", created.id(), Optional.empty(), note);
              return created;
            });
    changed.federationChanged();
    return account;
  }

  /** The account, which must belong to {@code projectId}. */
  public ServiceAccount get(String projectId, String id) {
    project(projectId);
    return accounts
        .find(id)
        .filter(a -> a.projectId().equals(projectId))
        .orElseThrow(
            () ->
                new NotFoundException(
                    "No service account found with id '"
                        + id
                        + "' in project '"
                        + projectId
                        + "'."));
  }

  public Page<ServiceAccount> list(String projectId, PageRequest page) {
    project(projectId);
    page.after()
        .filter(
            after -> accounts.find(after).filter(a -> a.projectId().equals(projectId)).isEmpty())
        .ifPresent(Cursors::unknown);
    return accounts.list(projectId, page);
  }

  public ServiceAccount rename(String projectId, String id, String name, ChangeNote note) {
    return update(projectId, id, Optional.of(name), RateLimitsPatch.none(), note);
  }

  /**
   * Renames the account when {@code name} is present and applies {@code limits} to its rate limits;
   * what is absent is kept.
   *
   * @throws AdminValidationException naming {@code name} or {@code rate_limits.<field>}
   */
  public ServiceAccount update(
      String projectId, String id, Optional<String> name, RateLimitsPatch limits, ChangeNote note) {
    return update(projectId, id, name, limits, note, Precondition.none());
  }

  /**
   * {@link #update(String, String, Optional, RateLimitsPatch, ChangeNote)} when the stored account
   * satisfies {@code precondition}, checked inside the write's admin transaction.
   */
  public ServiceAccount update(
      String projectId,
      String id,
      Optional<String> name,
      RateLimitsPatch limits,
      ChangeNote note,
      Precondition<ServiceAccount> precondition) {
    name.ifPresent(n -> ProviderValidator.checkText("name", n, ProviderValidator.MAX_TEXT));
    ServiceAccount updated =
        writeLock.run(
            () -> {
              ServiceAccount current = get(projectId, id);
              precondition.check(current);
              ServiceAccount next =
                  new ServiceAccount(
                      id,
                      projectId,
                      name.orElse(current.name()),
                      current.role(),
                      current.createdAt(),
                      limits.apply(current.rateLimits(), RATE_LIMITS));
              accounts.update(next);
              audit.record("service_account.updated", id, Optional.empty(), note);
              return next;
            });
    changed.federationChanged();
    return updated;
  }

  public void delete(String projectId, String id, ChangeNote note) {
    delete(projectId, id, note, Precondition.none());
  }

  /**
   * {@link #delete(String, String, ChangeNote)} when the stored account satisfies {@code
   * precondition}, checked inside the write's admin transaction.
   */
  public void delete(
      String projectId, String id, ChangeNote note, Precondition<ServiceAccount> precondition) {
    writeLock.runVoid(
        () -> {
          precondition.check(get(projectId, id));
          long mapped =
              rules.listAll().stream().filter(r -> r.serviceAccountId().equals(id)).count();
          if (mapped > 0) {
            throw new ConflictException(
                Optional.empty(),
                "Service account '"
                    + id
                    + "' is still used by "
                    + mapped
                    + " federation rule(s); delete them first.");
          }
          accounts.delete(id);
          audit.record("service_account.deleted", id, Optional.empty(), note);
        });
    changed.federationChanged();
  }

  private Project project(String projectId) {
    return projects
        .find(projectId)
        .orElseThrow(() -> new NotFoundException("No project found with id '" + projectId + "'."));
  }

  private Project activeProject(String projectId) {
    Project project = project(projectId);
    if (project.archived()) {
      throw new AdminValidationException("project_id", "Project '" + projectId + "' is archived.");
    }
    return project;
  }
}
