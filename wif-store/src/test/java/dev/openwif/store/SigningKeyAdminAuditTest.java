package dev.openwif.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.AuditQuery;
import dev.openwif.federation.IdGenerator;
import dev.openwif.federation.RandomIdGenerator;
import dev.openwif.federation.admin.SigningKeyAdmin;
import dev.openwif.federation.admin.UnauditedChangeException;
import dev.openwif.token.SigningKeyRotation;
import dev.openwif.token.SigningKeys;
import dev.openwif.token.StoredSigningKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Signing-key rotations and retirements ({@code wif signing-keys}, the scheduled rotation) are
 * stored with their audit row in one admin transaction, on SQLite and PostgreSQL: when the row
 * cannot be stored (here its id is taken already, as in {@link ConcurrentAdminUpdatesTest}) the
 * change is rolled back and refused; the rotation stays a one-node-wins conditional write.
 */
class SigningKeyAdminAuditTest {
  private static final Duration TOKEN_TTL = Duration.ofHours(1);

  /** Every audit id this generator makes is {@code audit_same}. */
  private static final IdGenerator SAME_AUDIT_ID = prefix -> prefix + "_same";

  /** A store with its first signing key (as 'wif serve' leaves it) and the id audit_same taken. */
  private static String firstKeyAndAuditIdTaken(JdbcFederationStore store) {
    new SigningKeys(store.signingKeys(), Clock.systemUTC());
    store
        .adminAuditSink()
        .record(
            new AuditEvent.AdminChange(
                "audit_same", Instant.now(), "project.created", "test", "proj_1", "{}"));
    return activeKid(store);
  }

  private static String activeKid(JdbcFederationStore store) {
    List<String> active =
        store.signingKeys().listAll().stream()
            .filter(k -> k.verifyUntil().isEmpty() && k.retiredAt().isEmpty())
            .map(StoredSigningKey::kid)
            .toList();
    assertThat(active).as("active keys").hasSize(1);
    return active.getFirst();
  }

  private static int auditRows(JdbcFederationStore store, String type) {
    return store
        .auditLog()
        .list(
            new AuditQuery(Set.of(type), Optional.empty(), Optional.empty(), 100, Optional.empty()))
        .data()
        .size();
  }

  @StoreTest
  void rotateWhenAuditRowCannotBeStoredThenRotationRolledBackAndRefused(JdbcFederationStore store) {
    String first = firstKeyAndAuditIdTaken(store);
    List<StoredSigningKey> before = store.signingKeys().listAll();
    SigningKeyAdmin admin =
        SigningKeyAdmin.forStore(
            store, Optional.empty(), TOKEN_TTL, Clock.systemUTC(), SAME_AUDIT_ID);

    Throwable refused = catchThrowable(() -> admin.rotate(Duration.ZERO, "cli"));

    assertThat(refused)
        .as("the failed audit insert fails the rotation")
        .isInstanceOf(UnauditedChangeException.class)
        .hasMessageStartingWith("signing key rotation rolled back, nothing changed")
        .hasMessageContaining("signing_key.rotated");
    assertThat(store.signingKeys().listAll())
        .as("no new key, no key rotated out")
        .isEqualTo(before);
    assertThat(activeKid(store)).isEqualTo(first);
    assertThat(auditRows(store, "signing_key.rotated")).isZero();
  }

  /** The scheduled rotation ({@code --signing-key-rotation}) takes the same path. */
  @StoreTest
  void rotateIfDueWhenAuditRowCannotBeStoredThenRotationRolledBack(JdbcFederationStore store) {
    String first = firstKeyAndAuditIdTaken(store);
    List<StoredSigningKey> before = store.signingKeys().listAll();
    Clock twoDaysLater = Clock.fixed(Instant.now().plus(Duration.ofDays(2)), ZoneOffset.UTC);
    SigningKeyAdmin scheduler =
        SigningKeyAdmin.forStore(store, Optional.empty(), TOKEN_TTL, twoDaysLater, SAME_AUDIT_ID);

    Throwable refused =
        catchThrowable(() -> scheduler.rotateIfDue(Duration.ofDays(1), Duration.ZERO, "scheduler"));

    assertThat(refused).isInstanceOf(UnauditedChangeException.class);
    assertThat(store.signingKeys().listAll()).isEqualTo(before);
    assertThat(activeKid(store)).isEqualTo(first);
  }

  @StoreTest
  void retireWhenAuditRowCannotBeStoredThenKeyNotRetired(JdbcFederationStore store) {
    String first = firstKeyAndAuditIdTaken(store);
    SigningKeyAdmin audited =
        SigningKeyAdmin.forStore(
            store, Optional.empty(), TOKEN_TTL, Clock.systemUTC(), new RandomIdGenerator());
    assertThat(audited.rotate(Duration.ZERO, "cli")).isPresent();
    List<StoredSigningKey> before = store.signingKeys().listAll();
    SigningKeyAdmin admin =
        SigningKeyAdmin.forStore(
            store, Optional.empty(), TOKEN_TTL, Clock.systemUTC(), SAME_AUDIT_ID);

    Throwable refused = catchThrowable(() -> admin.retire(first, true, "cli"));

    assertThat(refused)
        .isInstanceOf(UnauditedChangeException.class)
        .hasMessageContaining("signing_key.retired");
    assertThat(store.signingKeys().listAll())
        .as("the key is not retired and keeps its private part")
        .isEqualTo(before);
    assertThat(auditRows(store, "signing_key.retired")).isZero();
  }

  /**
   * When {@code rotate} returns, its audit row is committed: another node (its own connections)
   * reads it at once, with no flush of the rotating node's audit queue.
   */
  @StoreTest
  void rotateWhenItReturnsThenAnotherNodeReadsItsAuditRow(StoreFixture fixture) {
    JdbcFederationStore nodeA = fixture.store();
    new SigningKeys(nodeA.signingKeys(), Clock.systemUTC());
    try (JdbcFederationStore nodeB = Stores.open(fixture.spec())) {
      SigningKeyAdmin admin =
          SigningKeyAdmin.forStore(
              nodeA, Optional.empty(), TOKEN_TTL, Clock.systemUTC(), new RandomIdGenerator());

      SigningKeyRotation.Rotated rotated = admin.rotate(Duration.ZERO, "cli").orElseThrow();

      assertThat(
              nodeB
                  .auditLog()
                  .list(
                      new AuditQuery(
                          Set.of("signing_key.rotated"),
                          Optional.empty(),
                          Optional.empty(),
                          10,
                          Optional.empty()))
                  .data())
          .singleElement()
          .satisfies(e -> assertThat(e.toString()).contains(rotated.activeKid()));
    }
  }

  /**
   * Two nodes' schedulers find the rotation due at the same moment, several rounds: inside the
   * admin transaction exactly one rotates (the other finds the fresh key and changes nothing) and
   * there is exactly one audit row per rotation.
   */
  @StoreTest
  void rotateIfDueWhenTwoNodesRaceThenExactlyOneRotatesAndIsAudited(StoreFixture fixture)
      throws Exception {
    JdbcFederationStore nodeA = fixture.store();
    new SigningKeys(nodeA.signingKeys(), Clock.systemUTC());
    int rounds = 5;
    try (JdbcFederationStore nodeB = Stores.open(fixture.spec());
        ExecutorService pool = Executors.newFixedThreadPool(2)) {
      for (int round = 1; round <= rounds; round++) {
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(2L * round)), ZoneOffset.UTC);
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<Optional<SigningKeyRotation.Rotated>>> results = new ArrayList<>();
        for (JdbcFederationStore node : List.of(nodeA, nodeB)) {
          SigningKeyAdmin scheduler =
              SigningKeyAdmin.forStore(
                  node, Optional.empty(), TOKEN_TTL, later, new RandomIdGenerator());
          results.add(
              pool.submit(
                  () -> {
                    start.await(10, TimeUnit.SECONDS);
                    return scheduler.rotateIfDue(Duration.ofDays(1), Duration.ZERO, "scheduler");
                  }));
        }
        int won = 0;
        for (Future<Optional<SigningKeyRotation.Rotated>> result : results) {
          won += result.get(30, TimeUnit.SECONDS).isPresent() ? 1 : 0;
        }
        assertThat(won).as("rotations in round %d", round).isEqualTo(1);
        activeKid(nodeB);
      }
      assertThat(nodeB.signingKeys().listAll()).hasSize(rounds + 1);
      assertThat(auditRows(nodeB, "signing_key.rotated")).isEqualTo(rounds);
    }
  }
}
