package dev.openwif.federation;

import java.util.List;
import java.util.Optional;

/**
 * Stores federation rules. Rule names are unique within a provider. Implementations are
 * thread-safe.
 */
public interface RuleRepository {
  void insert(FederationRule rule);

  boolean update(FederationRule rule);

  boolean delete(String id);

  Optional<FederationRule> find(String id);

  /**
   * The rules of one provider in creation order (ties broken by id), optionally of one service
   * account.
   */
  Page<FederationRule> list(String providerId, Optional<String> serviceAccountId, PageRequest page);

  long countByProvider(String providerId);

  /** Every rule, for the in-memory snapshot the exchange path reads. */
  List<FederationRule> listAll();
}
