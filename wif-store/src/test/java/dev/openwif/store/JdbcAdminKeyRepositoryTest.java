package dev.openwif.store;

import static dev.openwif.store.Records.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.federation.AdminKey;
import java.util.Optional;

class JdbcAdminKeyRepositoryTest {
  private static AdminKey key(String id, String hash, long createdAt) {
    return new AdminKey(
        id, "key " + id, hash, "sk-admin-" + hash.substring(0, 4), at(createdAt), Optional.empty());
  }

  @StoreTest
  void findBySecretHashWhenInsertedThenFoundAndOthersNot(JdbcFederationStore store) {
    var key = key("key_1", "a1".repeat(32), 0);
    store.adminKeys().insert(key);
    assertThat(store.adminKeys().findBySecretHash("a1".repeat(32))).contains(key);
    assertThat(store.adminKeys().findBySecretHash("A1".repeat(32))).isEmpty();
    assertThat(store.adminKeys().findBySecretHash("b2".repeat(32))).isEmpty();
  }

  @StoreTest
  void revokeWhenActiveThenRevokedOnceAndStillListed(JdbcFederationStore store) {
    store.adminKeys().insert(key("key_2", "b2".repeat(32), 1));
    store.adminKeys().insert(key("key_1", "a1".repeat(32), 0));

    assertThat(store.adminKeys().revoke("key_1", at(100))).isTrue();
    assertThat(store.adminKeys().revoke("key_1", at(200))).isFalse();
    assertThat(store.adminKeys().revoke("key_missing", at(200))).isFalse();

    AdminKey revoked = store.adminKeys().findBySecretHash("a1".repeat(32)).orElseThrow();
    assertThat(revoked.revokedAt()).contains(at(100));
    assertThat(revoked.active()).isFalse();
    assertThat(store.adminKeys().listAll())
        .extracting(AdminKey::id)
        .containsExactly("key_1", "key_2");
    assertThat(store.adminKeys().listAll().get(1).active()).isTrue();
  }

  @StoreTest
  void insertWhenSecretHashTakenThenUniqueViolationOnSecretHash(JdbcFederationStore store) {
    store.adminKeys().insert(key("key_1", "a1".repeat(32), 0));
    assertThatThrownBy(() -> store.adminKeys().insert(key("key_2", "a1".repeat(32), 1)))
        .isInstanceOfSatisfying(
            UniqueViolationException.class, e -> assertThat(e.column()).isEqualTo("secret_hash"));
  }
}
