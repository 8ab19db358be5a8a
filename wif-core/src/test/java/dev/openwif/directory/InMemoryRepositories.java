package dev.openwif.directory;

import dev.openwif.federation.FederationRule;
import dev.openwif.federation.Page;
import dev.openwif.federation.PageRequest;
import dev.openwif.federation.Project;
import dev.openwif.federation.ProjectRepository;
import dev.openwif.federation.ProviderRepository;
import dev.openwif.federation.RuleRepository;
import dev.openwif.federation.ServiceAccount;
import dev.openwif.federation.ServiceAccountRepository;
import dev.openwif.federation.WorkloadIdentityProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Test fakes of the federation repositories: insertion-ordered maps, with a count of every read so
 * tests can prove what the exchange path does not read.
 */
public final class InMemoryRepositories {
  public final AtomicInteger reads = new AtomicInteger();
  public final Providers providers = new Providers();
  public final Rules rules = new Rules();
  public final Accounts serviceAccounts = new Accounts();
  public final Projects projects = new Projects();

  public InMemoryFederationDirectory directory(
      Function<WorkloadIdentityProvider, dev.openwif.oidc.KeySource> keys) {
    return new InMemoryFederationDirectory(providers, rules, serviceAccounts, projects, keys);
  }

  private <T> Page<T> page(List<T> all, Function<T, String> id, PageRequest request) {
    reads.incrementAndGet();
    List<T> ordered = new ArrayList<>(all);
    if (request.order() == PageRequest.SortOrder.DESC) {
      java.util.Collections.reverse(ordered);
    }
    int start = 0;
    if (request.after().isPresent()) {
      for (int i = 0; i < ordered.size(); i++) {
        if (id.apply(ordered.get(i)).equals(request.after().get())) {
          start = i + 1;
        }
      }
    }
    int end = Math.min(ordered.size(), start + request.limit());
    return new Page<>(ordered.subList(start, end), end < ordered.size());
  }

  public final class Providers implements ProviderRepository {
    public final Map<String, WorkloadIdentityProvider> byId = new LinkedHashMap<>();

    @Override
    public synchronized void insert(WorkloadIdentityProvider p) {
      byId.put(p.id(), p);
    }

    @Override
    public synchronized boolean update(WorkloadIdentityProvider p) {
      return byId.replace(p.id(), p) != null;
    }

    @Override
    public synchronized boolean delete(String id) {
      return byId.remove(id) != null;
    }

    @Override
    public synchronized Optional<WorkloadIdentityProvider> find(String id) {
      reads.incrementAndGet();
      return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized Optional<WorkloadIdentityProvider> findByName(String name) {
      reads.incrementAndGet();
      return byId.values().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    @Override
    public synchronized Page<WorkloadIdentityProvider> list(PageRequest page) {
      return page(List.copyOf(byId.values()), WorkloadIdentityProvider::id, page);
    }

    @Override
    public synchronized List<WorkloadIdentityProvider> listAll() {
      reads.incrementAndGet();
      return List.copyOf(byId.values());
    }
  }

  public final class Rules implements RuleRepository {
    public final Map<String, FederationRule> byId = new LinkedHashMap<>();

    @Override
    public synchronized void insert(FederationRule r) {
      byId.put(r.id(), r);
    }

    @Override
    public synchronized boolean update(FederationRule r) {
      return byId.replace(r.id(), r) != null;
    }

    @Override
    public synchronized boolean delete(String id) {
      return byId.remove(id) != null;
    }

    @Override
    public synchronized Optional<FederationRule> find(String id) {
      reads.incrementAndGet();
      return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized Page<FederationRule> list(
        String providerId, Optional<String> account, PageRequest page) {
      List<FederationRule> matching =
          byId.values().stream()
              .filter(r -> r.providerId().equals(providerId))
              .filter(r -> account.isEmpty() || r.serviceAccountId().equals(account.get()))
              .toList();
      return page(matching, FederationRule::id, page);
    }

    @Override
    public synchronized long countByProvider(String providerId) {
      reads.incrementAndGet();
      return byId.values().stream().filter(r -> r.providerId().equals(providerId)).count();
    }

    @Override
    public synchronized List<FederationRule> listAll() {
      reads.incrementAndGet();
      return List.copyOf(byId.values());
    }
  }

  public final class Accounts implements ServiceAccountRepository {
    public final Map<String, ServiceAccount> byId = new LinkedHashMap<>();

    @Override
    public synchronized void insert(ServiceAccount a) {
      byId.put(a.id(), a);
    }

    @Override
    public synchronized boolean update(ServiceAccount a) {
      return byId.replace(a.id(), a) != null;
    }

    @Override
    public synchronized boolean delete(String id) {
      return byId.remove(id) != null;
    }

    @Override
    public synchronized Optional<ServiceAccount> find(String id) {
      reads.incrementAndGet();
      return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized Page<ServiceAccount> list(String projectId, PageRequest page) {
      return page(
          byId.values().stream().filter(a -> a.projectId().equals(projectId)).toList(),
          ServiceAccount::id,
          page);
    }

    @Override
    public synchronized List<ServiceAccount> listAll() {
      reads.incrementAndGet();
      return List.copyOf(byId.values());
    }
  }

  public final class Projects implements ProjectRepository {
    public final Map<String, Project> byId = new LinkedHashMap<>();

    @Override
    public synchronized void insert(Project p) {
      byId.put(p.id(), p);
    }

    @Override
    public synchronized boolean update(Project p) {
      return byId.replace(p.id(), p) != null;
    }

    @Override
    public synchronized Optional<Project> find(String id) {
      reads.incrementAndGet();
      return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized Page<Project> list(PageRequest page, boolean includeArchived) {
      return page(
          byId.values().stream().filter(p -> includeArchived || !p.archived()).toList(),
          Project::id,
          page);
    }
  }
}
