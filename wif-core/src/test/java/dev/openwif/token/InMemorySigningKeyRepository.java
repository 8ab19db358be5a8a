package dev.openwif.token;

import java.util.ArrayList;
import java.util.List;

/** A {@link SigningKeyRepository} in memory, counting inserts. Thread-safe. */
final class InMemorySigningKeyRepository implements SigningKeyRepository {
  private final List<StoredSigningKey> keys = new ArrayList<>();

  @Override
  public synchronized void insert(StoredSigningKey key) {
    keys.add(key);
  }

  @Override
  public synchronized List<StoredSigningKey> listAll() {
    return List.copyOf(keys);
  }
}
