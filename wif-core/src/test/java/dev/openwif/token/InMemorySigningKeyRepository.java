package dev.openwif.token;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link SigningKeyRepository} in memory, with the same conditional writes as the database one;
 * {@link #rows} is the stored rows as a database would hold them. Thread-safe.
 */
public final class InMemorySigningKeyRepository implements SigningKeyRepository {
  /** The rows in insertion order; tests may edit them (synchronise on this repository). */
  final List<StoredSigningKey> rows = new ArrayList<>();

  @Override
  public synchronized void insert(StoredSigningKey key) {
    if (rows.stream().anyMatch(r -> r.kid().equals(key.kid()))) {
      throw new IllegalStateException("kid " + key.kid() + " is taken");
    }
    rows.add(key);
  }

  @Override
  public synchronized List<StoredSigningKey> listAll() {
    return rows.stream()
        .sorted(
            java.util.Comparator.comparing(StoredSigningKey::createdAt)
                .thenComparing(StoredSigningKey::kid))
        .toList();
  }

  @Override
  public synchronized boolean rotate(
      String expectedActiveKid, Instant activeVerifyUntil, StoredSigningKey next) {
    int index = indexOf(expectedActiveKid);
    if (index < 0) {
      return false;
    }
    StoredSigningKey active = rows.get(index);
    if (active.verifyUntil().isPresent() || active.retiredAt().isPresent()) {
      return false;
    }
    rows.set(
        index,
        new StoredSigningKey(
            active.kid(),
            active.privateJwkJson(),
            active.createdAt(),
            active.activatesAt(),
            Optional.of(activeVerifyUntil),
            Optional.empty()));
    insert(next);
    return true;
  }

  @Override
  public synchronized boolean retire(String kid, Instant at) {
    int index = indexOf(kid);
    if (index < 0 || rows.get(index).retiredAt().isPresent()) {
      return false;
    }
    StoredSigningKey key = rows.get(index);
    rows.set(
        index,
        new StoredSigningKey(
            kid, "", key.createdAt(), key.activatesAt(), key.verifyUntil(), Optional.of(at)));
    return true;
  }

  @Override
  public synchronized boolean replacePrivateJwk(String kid, String expected, String replacement) {
    int index = indexOf(kid);
    if (index < 0 || !rows.get(index).privateJwkJson().equals(expected)) {
      return false;
    }
    rows.set(index, rows.get(index).withPrivateJwkJson(replacement));
    return true;
  }

  private int indexOf(String kid) {
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).kid().equals(kid)) {
        return i;
      }
    }
    return -1;
  }
}
