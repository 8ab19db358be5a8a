package dev.openwif.directory;

import dev.openwif.federation.FederationRule;
import dev.openwif.federation.Project;
import dev.openwif.federation.ServiceAccount;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable, consistent view of the federation configuration, built from the repositories and
 * served from memory (the exchange and the gateway never read the database). Only enabled rules are
 * held. Immutable and thread-safe.
 *
 * @param providers every provider by id
 * @param enabledRulesByProvider each provider's enabled rules in creation order
 * @param enabledRules every enabled rule by id
 * @param serviceAccounts every service account by id
 * @param projects every project by id (archived ones included)
 */
public record FederationSnapshot(
    Map<String, ProviderState> providers,
    Map<String, List<FederationRule>> enabledRulesByProvider,
    Map<String, FederationRule> enabledRules,
    Map<String, ServiceAccount> serviceAccounts,
    Map<String, Project> projects) {
  public FederationSnapshot {
    providers = Map.copyOf(providers);
    enabledRulesByProvider = Map.copyOf(enabledRulesByProvider);
    enabledRules = Map.copyOf(enabledRules);
    serviceAccounts = Map.copyOf(serviceAccounts);
    projects = Map.copyOf(projects);
  }

  /** A snapshot with nothing configured. */
  public static FederationSnapshot empty() {
    return new FederationSnapshot(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
  }

  public Optional<ProviderState> provider(String id) {
    return Optional.ofNullable(providers.get(id));
  }

  /** The provider's enabled rules in creation order (empty when it has none). */
  public List<FederationRule> enabledRulesOf(String providerId) {
    return enabledRulesByProvider.getOrDefault(providerId, List.of());
  }

  /** The service account when it exists and its project is not archived. */
  public Optional<ServiceAccount> usableServiceAccount(String id) {
    ServiceAccount account = serviceAccounts.get(id);
    if (account == null) {
      return Optional.empty();
    }
    Project project = projects.get(account.projectId());
    return project == null || project.archived() ? Optional.empty() : Optional.of(account);
  }

  /**
   * Why an access token minted under ({@code providerId}, {@code ruleId}) for {@code
   * serviceAccountId} must no longer be honoured, or empty while all three are still in force: the
   * provider exists and is enabled, the rule exists, is enabled, belongs to that provider and maps
   * to that account, and the account exists in a project that is not archived. Cheap (map lookups),
   * called on every API request.
   */
  public Optional<String> revocationReason(
      String providerId, String ruleId, String serviceAccountId) {
    ProviderState provider = providers.get(providerId);
    if (provider == null) {
      return Optional.of("provider " + providerId + " no longer exists");
    }
    if (!(provider instanceof ProviderState.Active)) {
      return Optional.of("provider " + providerId + " is disabled");
    }
    FederationRule rule = enabledRules.get(ruleId);
    if (rule == null) {
      return Optional.of("rule " + ruleId + " is deleted or disabled");
    }
    if (!rule.providerId().equals(providerId)
        || !rule.serviceAccountId().equals(serviceAccountId)) {
      return Optional.of(
          "rule " + ruleId + " no longer maps provider " + providerId + " to " + serviceAccountId);
    }
    if (usableServiceAccount(serviceAccountId).isEmpty()) {
      return Optional.of(
          "service account " + serviceAccountId + " is deleted or its project archived");
    }
    return Optional.empty();
  }
}
