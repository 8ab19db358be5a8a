package dev.openwif.store;

import static dev.openwif.store.Records.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import dev.openwif.token.StoredSigningKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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

  @StoreTest
  void rotateWhenExpectedKeyActiveThenSetsItsVerifyUntilAndInsertsTheNextInOneStep(
      JdbcFederationStore store) {
    store.signingKeys().insert(new StoredSigningKey("kid-a", "{\"a\":1}", at(0)));

    boolean rotated =
        store.signingKeys().rotate("kid-a", at(3900), new StoredSigningKey("kid-b", "{}", at(10)));

    assertThat(rotated).isTrue();
    assertThat(store.signingKeys().listAll())
        .containsExactly(
            new StoredSigningKey(
                "kid-a", "{\"a\":1}", at(0), Optional.of(at(3900)), Optional.empty()),
            new StoredSigningKey("kid-b", "{}", at(10)));
  }

  @StoreTest
  void rotateWhenNextKeyActivatesLaterThenItsActivationTimeIsStored(JdbcFederationStore store) {
    store.signingKeys().insert(new StoredSigningKey("kid-a", "{}", at(0)));
    StoredSigningKey next = new StoredSigningKey("kid-b", "{}", at(10)).activatingAt(at(20));

    assertThat(store.signingKeys().rotate("kid-a", at(3920), next)).isTrue();

    assertThat(store.signingKeys().listAll())
        .extracting(StoredSigningKey::kid, StoredSigningKey::activatesAt)
        .containsExactly(tuple("kid-a", at(0)), tuple("kid-b", at(20)));
  }

  @StoreTest
  void rotateWhenExpectedKeyAlreadyRotatedOutThenChangesNothing(JdbcFederationStore store) {
    store.signingKeys().insert(new StoredSigningKey("kid-a", "{}", at(0)));
    store.signingKeys().rotate("kid-a", at(3900), new StoredSigningKey("kid-b", "{}", at(10)));

    boolean again =
        store.signingKeys().rotate("kid-a", at(9999), new StoredSigningKey("kid-c", "{}", at(20)));

    assertThat(again).isFalse();
    assertThat(store.signingKeys().listAll())
        .extracting(StoredSigningKey::kid, k -> k.verifyUntil())
        .containsExactly(tuple("kid-a", Optional.of(at(3900))), tuple("kid-b", Optional.empty()));
  }

  @StoreTest
  void rotateWhenTwoNodesRaceThenExactlyOneRotatesEachRound(StoreFixture fixture) throws Exception {
    JdbcFederationStore nodeA = fixture.store();
    nodeA.signingKeys().insert(new StoredSigningKey("kid-0", "{}", at(0)));
    try (JdbcFederationStore nodeB = Stores.open(fixture.spec());
        ExecutorService pool = Executors.newFixedThreadPool(2)) {
      for (int round = 1; round <= 10; round++) {
        String active = activeKids(nodeA).getFirst();
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<Boolean>> results = new ArrayList<>();
        for (JdbcFederationStore node : List.of(nodeA, nodeB)) {
          StoredSigningKey next =
              new StoredSigningKey("kid-" + round + (node == nodeA ? "a" : "b"), "{}", at(round));
          results.add(
              pool.submit(
                  () -> {
                    start.await(10, TimeUnit.SECONDS);
                    return node.signingKeys().rotate(active, at(100_000), next);
                  }));
        }
        int won = 0;
        for (Future<Boolean> result : results) {
          won += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertThat(won).as("rotations that took in round %d", round).isEqualTo(1);
        assertThat(activeKids(nodeB)).as("active keys after round %d", round).hasSize(1);
      }
      assertThat(nodeB.signingKeys().listAll()).hasSize(11);
    }
  }

  private static List<String> activeKids(JdbcFederationStore store) {
    return store.signingKeys().listAll().stream()
        .filter(k -> k.verifyUntil().isEmpty() && k.retiredAt().isEmpty())
        .map(StoredSigningKey::kid)
        .toList();
  }

  @StoreTest
  void retireWhenKeyLiveThenSetsRetiredAtAndErasesThePrivatePartOnce(JdbcFederationStore store) {
    store.signingKeys().insert(new StoredSigningKey("kid-a", "{\"d\":\"secret\"}", at(0)));

    assertThat(store.signingKeys().retire("kid-a", at(50))).isTrue();
    assertThat(store.signingKeys().retire("kid-a", at(60))).isFalse();
    assertThat(store.signingKeys().retire("kid-unknown", at(60))).isFalse();

    assertThat(store.signingKeys().listAll())
        .containsExactly(
            new StoredSigningKey("kid-a", "", at(0), Optional.empty(), Optional.of(at(50))));
  }

  @StoreTest
  void replacePrivateJwkWhenTextStillExpectedThenReplacesOtherwiseNot(JdbcFederationStore store) {
    store.signingKeys().insert(new StoredSigningKey("kid-a", "{\"plain\":1}", at(0)));

    assertThat(store.signingKeys().replacePrivateJwk("kid-a", "{\"other\":1}", "wifenc1:x"))
        .isFalse();
    assertThat(store.signingKeys().replacePrivateJwk("kid-a", "{\"plain\":1}", "wifenc1:y"))
        .isTrue();
    assertThat(store.signingKeys().listAll().getFirst().privateJwkJson()).isEqualTo("wifenc1:y");
  }
}
