package dev.openwif.federation.admin;

import dev.openwif.federation.AdminValidationException;
import dev.openwif.federation.ConflictException;
import dev.openwif.federation.FederationChangeListener;
import dev.openwif.federation.FederationRule;
import dev.openwif.federation.FederationStore;
import dev.openwif.federation.IdGenerator;
import dev.openwif.federation.NotFoundException;
import dev.openwif.federation.Page;
import dev.openwif.federation.PageRequest;
import dev.openwif.federation.Project;
import dev.openwif.federation.ServiceAccount;
import dev.openwif.federation.WorkloadIdentityProvider;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Admin use cases for the federation rules of a provider: create, retrieve, list (optionally of one
 * service account), partial update, delete. Each write checks {@link RuleValidator}'s rules, that
 * the provider exists, that the project exists and is not archived, that the service account exists
 * and belongs to that project, and that no other rule of the provider has the same name ({@link
 * ConflictException}); then stores and audits ({@code
 * workload_identity_provider_mapping.created|updated| deleted}, with {@code identity_provider_id})
 * in one {@link AdminWriteLock admin transaction} (an update reads the rule it patches inside it,
 * so a concurrent update from another node is never overwritten), then tells the {@link
 * FederationChangeListener}. Thread-safe.
 */
public final class RuleAdmin {
  private final FederationStore store;
  private final AdminWriteLock writeLock;
  private final AdminAudit audit;
  private final FederationChangeListener changed;
  private final Clock clock;
  private final IdGenerator ids;

  public RuleAdmin(
      FederationStore store,
      AdminWriteLock writeLock,
      AdminAudit audit,
      FederationChangeListener changed,
      Clock clock,
      IdGenerator ids) {
    this.store = Objects.requireNonNull(store, "store");
    this.writeLock = Objects.requireNonNull(writeLock, "writeLock");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.changed = Objects.requireNonNull(changed, "changed");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  public FederationRule create(String providerId, RuleDraft d, ChangeNote note) {
    Instant now = clock.instant();
    FederationRule rule =
        new FederationRule(
            ids.next("wifr"),
            providerId,
            d.name(),
            d.description(),
            d.enabled(),
            d.attributeMatchers(),
            d.projectId(),
            d.serviceAccountId(),
            d.permissions(),
            d.clampToSubjectTokenExpiry(),
            now,
            now);
    writeLock.run(
        () -> {
          requireProvider(providerId);
          checkAll(rule);
          store.rules().insert(rule);
          audit.record(
              "workload_identity_provider_mapping.created",
              rule.id(),
              Optional.of(providerId),
              note);
          return rule;
        });
    changed.federationChanged();
    return rule;
  }

  /** The rule, which must belong to {@code providerId}. */
  public FederationRule get(String providerId, String id) {
    requireProvider(providerId);
    return store
        .rules()
        .find(id)
        .filter(r -> r.providerId().equals(providerId))
        .orElseThrow(
            () ->
                new NotFoundException(
                    "No federation rule found with id '"
                        + id
                        + "' for provider '"
                        + providerId
                        + "'."));
  }

  public Page<FederationRule> list(
      String providerId, Optional<String> serviceAccountId, PageRequest page) {
    requireProvider(providerId);
    page.after()
        .filter(
            after ->
                store.rules().find(after).filter(r -> r.providerId().equals(providerId)).isEmpty())
        .ifPresent(Cursors::unknown);
    return store.rules().list(providerId, serviceAccountId, page);
  }

  public FederationRule update(String providerId, String id, RulePatch patch, ChangeNote note) {
    return update(providerId, id, patch, note, Precondition.none());
  }

  /**
   * {@link #update(String, String, RulePatch, ChangeNote)} when the stored rule satisfies {@code
   * precondition}, checked inside the write's admin transaction.
   */
  public FederationRule update(
      String providerId,
      String id,
      RulePatch patch,
      ChangeNote note,
      Precondition<FederationRule> precondition) {
    FederationRule updated =
        writeLock.run(
            () -> {
              FederationRule current = get(providerId, id);
              precondition.check(current);
              FederationRule next = patch.applyTo(current, clock.instant());
              if (next.projectId().equals(current.projectId())
                  && next.serviceAccountId().equals(current.serviceAccountId())) {
                // the references are unchanged: a rule of an archived project can still be disabled
                // or edited
                RuleValidator.check(next);
              } else {
                checkAll(next);
              }
              store.rules().update(next);
              audit.record(
                  "workload_identity_provider_mapping.updated", id, Optional.of(providerId), note);
              return next;
            });
    changed.federationChanged();
    return updated;
  }

  public void delete(String providerId, String id, ChangeNote note) {
    delete(providerId, id, note, Precondition.none());
  }

  /**
   * {@link #delete(String, String, ChangeNote)} when the stored rule satisfies {@code
   * precondition}, checked inside the write's admin transaction.
   */
  public void delete(
      String providerId, String id, ChangeNote note, Precondition<FederationRule> precondition) {
    writeLock.run(
        () -> {
          precondition.check(get(providerId, id));
          store.rules().delete(id);
          audit.record(
              "workload_identity_provider_mapping.deleted", id, Optional.of(providerId), note);
          return id;
        });
    changed.federationChanged();
  }

  private void checkAll(FederationRule rule) {
    RuleValidator.check(rule);
    Project project =
        store
            .projects()
            .find(rule.projectId())
            .orElseThrow(
                () ->
                    new AdminValidationException(
                        "project_id", "No project found with id '" + rule.projectId() + "'."));
    if (project.archived()) {
      throw new AdminValidationException(
          "project_id", "Project '" + project.id() + "' is archived.");
    }
    ServiceAccount account =
        store
            .serviceAccounts()
            .find(rule.serviceAccountId())
            .orElseThrow(
                () ->
                    new AdminValidationException(
                        "service_account_id",
                        "No service account found with id '" + rule.serviceAccountId() + "'."));
    if (!account.projectId().equals(project.id())) {
      throw new AdminValidationException(
          "service_account_id",
          "Service account '"
              + account.id()
              + "' does not belong to project '"
              + project.id()
              + "'.");
    }
    rule.name().ifPresent(name -> requireUniqueName(rule, name));
  }

  private void requireUniqueName(FederationRule rule, String name) {
    boolean taken =
        store.rules().listAll().stream()
            .anyMatch(
                r ->
                    r.providerId().equals(rule.providerId())
                        && !r.id().equals(rule.id())
                        && r.name().equals(Optional.of(name)));
    if (taken) {
      throw new ConflictException(
          Optional.of("name"),
          "A federation rule named '" + name + "' already exists for this provider.");
    }
  }

  private WorkloadIdentityProvider requireProvider(String providerId) {
    return store
        .providers()
        .find(providerId)
        .orElseThrow(
            () ->
                new NotFoundException(
                    "No workload identity provider found with id '" + providerId + "'."));
  }
}
