package dev.openwif.store;

import static dev.openwif.store.Records.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.openwif.token.StoredSigningKey;
import java.io.PrintWriter;
import java.io.StringWriter;

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

  @StoreTest
  void insertWhenItFailsThenNoMessageInTheChainShowsTheBoundKeyMaterial(JdbcFederationStore store) {
    String secret = "PRIVATE-SCALAR-d-9f8e7d6c5b4a";
    store.signingKeys().insert(new StoredSigningKey("kid-a", "{}", at(0)));
    Throwable thrown =
        catchThrowable(
            () ->
                store
                    .signingKeys()
                    .insert(
                        new StoredSigningKey(
                            "kid-a", "{\"kty\":\"EC\",\"d\":\"" + secret + "\"}", at(1))));
    assertThat(thrown).isNotNull();
    StringWriter trace = new StringWriter();
    thrown.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString()).contains("kid").doesNotContain(secret);
  }
}
