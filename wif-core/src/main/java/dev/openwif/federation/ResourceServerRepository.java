package dev.openwif.federation;

import java.util.Optional;

/** Stores resource servers (secret hashes only). Implementations are thread-safe. */
public interface ResourceServerRepository {
  void insert(ResourceServer server);

  Optional<ResourceServer> find(String id);

  /** Resource servers in creation order (ties broken by id). */
  Page<ResourceServer> list(PageRequest page);

  /** Removes the resource server; returns false when there is none with this id. */
  boolean delete(String id);
}
