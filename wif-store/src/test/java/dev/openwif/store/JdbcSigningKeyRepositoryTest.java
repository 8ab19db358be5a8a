package dev.openwif.store;

import static dev.openwif.store.Records.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.token.StoredSigningKey;

class JdbcSigningKeyRepositoryTest {

  @StoreTest
  void listAllWhenSeveralKeysThenOldestFirst(JdbcFederationStore store) {
    var newer =
        new StoredSigningKey("kid-b", "{\"kty\":\"EC\",\"crv\":\"P-256\",\"d\":\"b\"}", at(60));
    var older =
        new StoredSigningKey("kid-a", "{\"kty\":\"EC\",\"crv\":\"P-256\",\"d\":\"a\"}", at(0));
    assertThat(store.signingKeys().listAll()).isEmpty();
    store.signingKeys().insert(newer);
    store.signingKeys().insert(older);
    assertThat(store.signingKeys().listAll()).containsExactly(older, newer);
  }

  @StoreTest
  void insertWhenKidTakenThenUniqueViolationOnKid(JdbcFederationStore store) {
    store.signingKeys().insert(new StoredSigningKey("kid-a", "{}", at(0)));
    assertThatThrownBy(
            () -> store.signingKeys().insert(new StoredSigningKey("kid-a", "{\"other\":1}", at(1))))
        .isInstanceOfSatisfying(
            UniqueViolationException.class, e -> assertThat(e.column()).isEqualTo("kid"));
  }
}
