package dev.openwif.federation.admin;

import dev.openwif.federation.ConflictException;
import dev.openwif.federation.FederationChangeListener;
import dev.openwif.federation.FederationStore;
import dev.openwif.federation.IdGenerator;
import dev.openwif.federation.NotFoundException;
import dev.openwif.federation.Page;
import dev.openwif.federation.PageRequest;
import dev.openwif.federation.ProviderRepository;
import dev.openwif.federation.RuleRepository;
import dev.openwif.federation.WorkloadIdentityProvider;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Admin use cases for workload identity providers: create, retrieve, list, partial update, delete.
 * Each write validates ({@link ProviderValidator}; names unique, a duplicate is a {@link
 * ConflictException}), stores, audits ({@code workload_identity_provider.created|updated|deleted})
 * and then tells the {@link FederationChangeListener}. Deleting a provider that still has
 * federation rules is refused (409). Each write, its checks and its audit row run in one {@link
 * AdminWriteLock admin transaction}, serialized against every other admin write on any node, so the
 * uniqueness check, the read-modify-write of an update and the write cannot interleave with
 * another. Thread-safe.
 */
public final class ProviderAdmin {
  private final ProviderRepository providers;
  private final RuleRepository rules;
  private final ProviderValidator validator;
  private final AdminAudit audit;
  private final FederationChangeListener changed;
  private final Clock clock;
  private final IdGenerator ids;
  private final AdminWriteLock writeLock;

  public ProviderAdmin(
      FederationStore store,
      AdminWriteLock writeLock,
      ProviderValidator validator,
      AdminAudit audit,
      FederationChangeListener changed,
      Clock clock,
      IdGenerator ids) {
    this.providers = store.providers();
    this.rules = store.rules();
    this.writeLock = Objects.requireNonNull(writeLock, "writeLock");
    this.validator = Objects.requireNonNull(validator, "validator");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.changed = Objects.requireNonNull(changed, "changed");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  public WorkloadIdentityProvider create(ProviderDraft d, ChangeNote note) {
    Instant now = clock.instant();
    WorkloadIdentityProvider provider =
        new WorkloadIdentityProvider(
            ids.next("wip"),
            d.name(),
            d.description(),
            d.issuer(),
            d.audience(),
            d.enabled(),
            d.attributeTransformations(),
            d.verification(),
            d.replayProtection(),
            now,
            now);
    validator.check(provider);
    writeLock.run(
        () -> {
          requireUniqueName(provider);
          providers.insert(provider);
          audit.record(
              "workload_identity_provider.created",
              provider.id(),
              Optional.of(provider.id()),
              note);
          return provider;
        });
    changed.federationChanged();
    return provider;
  }

  public WorkloadIdentityProvider get(String id) {
    return providers
        .find(id)
        .orElseThrow(
            () ->
                new NotFoundException("No workload identity provider found with id '" + id + "'."));
  }

  public Page<WorkloadIdentityProvider> list(PageRequest page) {
    page.after().filter(after -> providers.find(after).isEmpty()).ifPresent(Cursors::unknown);
    return providers.list(page);
  }

  /** Applies the supplied fields only; the result is validated as a whole. */
  public WorkloadIdentityProvider update(String id, ProviderPatch patch, ChangeNote note) {
    return update(id, patch, note, Precondition.none());
  }

  /**
   * {@link #update(String, ProviderPatch, ChangeNote)} when the stored provider satisfies {@code
   * precondition}, checked inside the write's admin transaction.
   */
  public WorkloadIdentityProvider update(
      String id,
      ProviderPatch patch,
      ChangeNote note,
      Precondition<WorkloadIdentityProvider> precondition) {
    WorkloadIdentityProvider updated =
        writeLock.run(
            () -> {
              WorkloadIdentityProvider current = get(id);
              precondition.check(current);
              WorkloadIdentityProvider next = patch.applyTo(current, clock.instant());
              validator.check(next);
              requireUniqueName(next);
              providers.update(next);
              audit.record("workload_identity_provider.updated", id, Optional.of(id), note);
              return next;
            });
    changed.federationChanged();
    return updated;
  }

  /** Deletes the provider; refused while any federation rule still belongs to it. */
  public void delete(String id, ChangeNote note) {
    delete(id, note, Precondition.none());
  }

  /**
   * {@link #delete(String, ChangeNote)} when the stored provider satisfies {@code precondition},
   * checked inside the write's admin transaction.
   */
  public void delete(
      String id, ChangeNote note, Precondition<WorkloadIdentityProvider> precondition) {
    writeLock.run(
        () -> {
          precondition.check(get(id));
          long count = rules.countByProvider(id);
          if (count > 0) {
            throw new ConflictException(
                Optional.empty(),
                "Workload identity provider '"
                    + id
                    + "' still has "
                    + count
                    + " federation rule(s); delete them before deleting the provider.");
          }
          providers.delete(id);
          audit.record("workload_identity_provider.deleted", id, Optional.of(id), note);
          return id;
        });
    changed.federationChanged();
  }

  private void requireUniqueName(WorkloadIdentityProvider p) {
    providers
        .findByName(p.name())
        .filter(other -> !other.id().equals(p.id()))
        .ifPresent(
            other -> {
              throw new ConflictException(
                  Optional.of("name"),
                  "A workload identity provider named '" + p.name() + "' already exists.");
            });
  }
}
