package dev.openwif.federation;

import java.util.List;
import java.util.Optional;

/** Stores workload identity providers. Names are unique. Implementations are thread-safe. */
public interface ProviderRepository {
  void insert(WorkloadIdentityProvider provider);

  boolean update(WorkloadIdentityProvider provider);

  boolean delete(String id);

  Optional<WorkloadIdentityProvider> find(String id);

  Optional<WorkloadIdentityProvider> findByName(String name);

  /** Providers in creation order (ties broken by id). */
  Page<WorkloadIdentityProvider> list(PageRequest page);

  /** Every provider, for the in-memory snapshot the exchange path reads. */
  List<WorkloadIdentityProvider> listAll();
}
