package dev.openwif.token;

import java.util.List;

/** Persists the server's signing keys so they survive restarts. Implementations are thread-safe. */
public interface SigningKeyRepository {
  void insert(StoredSigningKey key);

  /** Every key, oldest first. */
  List<StoredSigningKey> listAll();
}
