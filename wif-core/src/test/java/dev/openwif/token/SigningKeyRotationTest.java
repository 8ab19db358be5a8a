package dev.openwif.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.testkit.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SigningKeyRotationTest {
  private static final String SECRET = "kJ4n0r7Zb2Q8xv1mWc3Yt6Hs9Lq5Ue0Pa2Fd4Gh7Jk8=";
  private final MutableClock clock = MutableClock.fixed();
  private final InMemorySigningKeyRepository repository = new InMemorySigningKeyRepository();
  private final SigningKeyLifecycle lifecycle = new SigningKeyLifecycle(Duration.ofHours(2));
  private final SigningKeyRotation rotation = new SigningKeyRotation(repository, lifecycle, clock);

  @Test
  void rotateWhenActiveKeyThenNewActiveAndOldVerifiesUntilTokenLifetimePlusSkew() {
    String first = new SigningKeys(repository, clock, lifecycle).current().getKeyID();
    clock.advance(Duration.ofDays(3));

    SigningKeyRotation.Rotated rotated = rotation.rotate().orElseThrow();

    assertThat(rotated.previousKid()).isEqualTo(first);
    assertThat(rotated.previousVerifiesUntil())
        .isEqualTo(clock.instant().plus(Duration.ofHours(2)).plus(Duration.ofMinutes(5)));
    assertThat(rotation.list())
        .extracting(s -> s.kid(), s -> s.state())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(first, SigningKeyLifecycle.State.VERIFYING),
            org.assertj.core.groups.Tuple.tuple(
                rotated.activeKid(), SigningKeyLifecycle.State.ACTIVE));
  }

  @Test
  void rotateIfDueWhenNotDueThenNothingWhenDueOnce() {
    new SigningKeys(repository, clock, lifecycle);
    Duration every = Duration.ofDays(30);

    assertThat(rotation.rotateIfDue(every, Duration.ZERO)).isEmpty();
    clock.advance(every);
    assertThat(rotation.rotateIfDue(every, Duration.ZERO)).isPresent();
    assertThat(rotation.rotateIfDue(every, Duration.ZERO)).isEmpty();
    assertThat(repository.listAll()).hasSize(2);
  }

  @Test
  void rotateWhenPublishAheadThenOldKeySignsUntilActivationAndVerifiesAfterItsTokensExpire() {
    SigningKeys node = new SigningKeys(repository, clock, lifecycle);
    String first = node.current().getKeyID();
    Duration ahead = Duration.ofSeconds(10);

    SigningKeyRotation.Rotated rotated = rotation.rotate(ahead).orElseThrow();
    node.reload();

    assertThat(rotated.activatesAt()).isEqualTo(clock.instant().plus(ahead));
    assertThat(rotated.previousVerifiesUntil())
        .isEqualTo(clock.instant().plus(ahead).plus(Duration.ofHours(2)).plusSeconds(300));
    assertThat(node.current().getKeyID()).isEqualTo(first);
    assertThat(node.publicJwksJson()).contains(first).contains(rotated.activeKid());
    assertThat(node.publicKey(rotated.activeKid())).isPresent();
    assertThat(node.pending())
        .contains(new SigningKeys.Pending(rotated.activeKid(), rotated.activatesAt()));

    clock.advance(ahead.minusMillis(1));
    assertThat(node.current().getKeyID()).isEqualTo(first);
    clock.advance(Duration.ofMillis(1));
    assertThat(node.current().getKeyID()).as("no re-read needed").isEqualTo(rotated.activeKid());
    assertThat(node.pending()).isEmpty();
    assertThat(node.publicKey(first)).isPresent();
  }

  @Test
  void rotateWhenClockHasSubMillisecondsThenActivationIsTheWholeMillisecondEveryNodeSwitchesAt() {
    MutableClock fine = MutableClock.at(Instant.parse("2026-03-01T10:00:00.123456789Z"));
    new SigningKeys(repository, fine, lifecycle);
    Duration ahead = Duration.ofSeconds(3);

    SigningKeyRotation.Rotated rotated =
        new SigningKeyRotation(repository, lifecycle, fine).rotate(ahead).orElseThrow();

    // the stores keep milliseconds: the activation reported is the instant the nodes switch at (a
    // finer one would be up to 1 ms off), exactly the delay after the key's creation
    assertThat(rotated.activatesAt()).isEqualTo(Instant.parse("2026-03-01T10:00:03.123Z"));
    assertThat(repository.listAll())
        .filteredOn(k -> k.kid().equals(rotated.activeKid()))
        .singleElement()
        .satisfies(
            k -> {
              assertThat(k.activatesAt()).isEqualTo(rotated.activatesAt());
              assertThat(k.createdAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123Z"));
            });
    assertThat(rotated.previousVerifiesUntil().getNano() % 1_000_000).isZero();
  }

  @Test
  void rotateWhenNoDelayAndClockHasSubMillisecondsThenTheNewKeySignsAtOnce() {
    MutableClock fine = MutableClock.at(Instant.parse("2026-03-01T10:00:00.123456789Z"));
    SigningKeys node = new SigningKeys(repository, fine, lifecycle);
    fine.advance(Duration.ofNanos(1_000));

    SigningKeyRotation.Rotated rotated =
        new SigningKeyRotation(repository, lifecycle, fine).rotate().orElseThrow();
    node.reload();

    assertThat(node.current().getKeyID()).isEqualTo(rotated.activeKid());
    assertThat(rotated.activatesAt()).isBeforeOrEqualTo(fine.instant());
  }

  @Test
  void rotateWhenRotationUnderWayThenRefusedNamingThePendingKey() {
    new SigningKeys(repository, clock, lifecycle);
    SigningKeyRotation.Rotated rotated = rotation.rotate(Duration.ofSeconds(10)).orElseThrow();

    assertThatThrownBy(rotation::rotate)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already under way")
        .hasMessageContaining(rotated.activeKid());
    assertThat(rotation.rotateIfDue(Duration.ZERO, Duration.ZERO)).isEmpty();
    assertThat(repository.listAll()).hasSize(2);
    clock.advance(Duration.ofSeconds(10));
    assertThat(rotation.rotate()).isPresent();
  }

  @Test
  void rotateWhenKeysEncryptedButNoMasterKeyThenRefusedAndNothingWritten() {
    new SigningKeys(
        new EncryptedSigningKeyRepository(repository, SECRET, new SecureRandom()), clock);

    assertThatThrownBy(rotation::rotate)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("encrypted")
        .hasMessageContaining("WIF_MASTER_KEY");
    assertThat(repository.listAll()).hasSize(1);
  }

  @Test
  void rotateWhenMasterKeySetThenNewRowEncrypted() {
    EncryptedSigningKeyRepository sealed =
        new EncryptedSigningKeyRepository(repository, SECRET, new SecureRandom());
    new SigningKeys(sealed, clock);

    assertThat(new SigningKeyRotation(sealed, lifecycle, clock).rotate()).isPresent();

    assertThat(repository.listAll())
        .hasSize(2)
        .allSatisfy(row -> assertThat(row.privateJwkJson()).startsWith("wifenc1:"));
  }

  @Test
  void retireWhenRefusedThenNothingChanges() {
    String first = new SigningKeys(repository, clock, lifecycle).current().getKeyID();

    assertThat(rotation.retire(first, true))
        .isInstanceOfSatisfying(
            SigningKeyRotation.Retirement.Refused.class,
            r -> assertThat(r.reason()).contains("active key"));
    assertThat(repository.listAll().getFirst().retiredAt()).isEmpty();
  }

  @Test
  void encryptPlaintextRowsWhenMasterKeySetLaterThenEveryLiveRowEncryptedOnceAndStillLoads() {
    SigningKeys plain = new SigningKeys(repository, clock, lifecycle);
    String first = plain.current().getKeyID();
    clock.advance(Duration.ofSeconds(1));
    assertThat(rotation.rotate()).isPresent();
    clock.advance(Duration.ofSeconds(1));
    String second = plain.rotate().getKeyID();
    assertThat(rotation.retire(first, true))
        .isEqualTo(new SigningKeyRotation.Retirement.Done(first));
    EncryptedSigningKeyRepository sealed =
        new EncryptedSigningKeyRepository(repository, SECRET, new SecureRandom());

    assertThat(sealed.encryptPlaintextRows()).isEqualTo(2);
    assertThat(sealed.encryptPlaintextRows()).isZero();

    assertThat(repository.listAll())
        .extracting(StoredSigningKey::privateJwkJson)
        .satisfiesExactly(
            retired -> assertThat(retired).isEmpty(),
            verifying -> assertThat(verifying).startsWith("wifenc1:"),
            active -> assertThat(active).startsWith("wifenc1:"));
    assertThat(new SigningKeys(sealed, clock, lifecycle).current().getKeyID()).isEqualTo(second);
  }

  @Test
  void encryptPlaintextRowsWhenWrongMasterKeyThenRefusedBeforeEncryptingAnything() {
    new SigningKeys(
        new EncryptedSigningKeyRepository(repository, SECRET, new SecureRandom()), clock);
    clock.advance(Duration.ofSeconds(1));
    repository.insert(SigningKeys.generate(clock.instant())); // a plain row among encrypted ones
    String plainText = repository.listAll().getLast().privateJwkJson();
    EncryptedSigningKeyRepository wrong =
        new EncryptedSigningKeyRepository(
            repository, "YW5vdGhlciBtYXN0ZXIga2V5LCAzMiBieXRlcyBsb25n", new SecureRandom());

    assertThatThrownBy(wrong::encryptPlaintextRows)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("WIF_MASTER_KEY");
    assertThat(repository.listAll().getLast().privateJwkJson()).isEqualTo(plainText);
  }
}
