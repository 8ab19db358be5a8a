package dev.openwif.federation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stores admin keys (hashes only). Implementations are thread-safe. */
public interface AdminKeyRepository {
  void insert(AdminKey key);

  List<AdminKey> listAll();

  Optional<AdminKey> findBySecretHash(String secretHash);

  /** Marks the key revoked; returns false when no such active key exists. */
  boolean revoke(String id, Instant at);
}
