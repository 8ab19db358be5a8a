package dev.openwif.federation;

import java.util.List;
import java.util.Optional;

/** Stores service accounts. Implementations are thread-safe. */
public interface ServiceAccountRepository {
  void insert(ServiceAccount account);

  boolean update(ServiceAccount account);

  boolean delete(String id);

  Optional<ServiceAccount> find(String id);

  /** The accounts of one project in creation order (ties broken by id). */
  Page<ServiceAccount> list(String projectId, PageRequest page);

  /** Every service account, for the in-memory snapshot the exchange path reads. */
  List<ServiceAccount> listAll();
}
