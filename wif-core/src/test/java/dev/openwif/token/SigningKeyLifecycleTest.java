package dev.openwif.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.token.SigningKeyLifecycle.State;
import dev.openwif.token.SigningKeyLifecycle.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The key lifecycle as a pure function of the stored times and the clock. */
class SigningKeyLifecycleTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration TTL = Duration.ofHours(1);
  private final SigningKeyLifecycle lifecycle = new SigningKeyLifecycle(TTL);

  private static Instant at(Duration d) {
    return T0.plus(d);
  }

  private static StoredSigningKey key(String kid, Instant created) {
    return new StoredSigningKey(kid, "{}", created);
  }

  private static StoredSigningKey rotatedOut(String kid, Instant created, Instant until) {
    return new StoredSigningKey(kid, "{}", created, Optional.of(until), Optional.empty());
  }

  private static StoredSigningKey retired(String kid, Instant created, Instant at) {
    return new StoredSigningKey(kid, "", created, Optional.empty(), Optional.of(at));
  }

  /** The keys after one rotation at T0 + 1 day: a rotated out, b active. */
  private List<StoredSigningKey> rotatedOnce() {
    Instant rotatedAt = at(Duration.ofDays(1));
    return List.of(
        rotatedOut("a", T0, lifecycle.verifyUntilAfterRotation(rotatedAt)), key("b", rotatedAt));
  }

  private static List<State> states(List<Status> statuses) {
    return statuses.stream().map(Status::state).toList();
  }

  @Test
  void verifyUntilAfterRotationWhenRotatedThenTokenLifetimePlusFiveMinutesSkew() {
    assertThat(lifecycle.verifyUntilAfterRotation(T0))
        .isEqualTo(T0.plus(TTL).plus(Duration.ofMinutes(5)));
  }

  @Test
  void statusesWhenRotatedOutThenVerifyingUntilItsLastTokenExpiredThenRetired() {
    List<StoredSigningKey> keys = rotatedOnce();
    Instant until = at(Duration.ofDays(1)).plus(TTL).plus(SigningKeyLifecycle.CLOCK_SKEW);

    List<Status> justAfter = lifecycle.statuses(keys, at(Duration.ofDays(1)));
    List<Status> lastMoment = lifecycle.statuses(keys, until.minusMillis(1));
    List<Status> atTheEnd = lifecycle.statuses(keys, until);

    assertThat(states(justAfter)).containsExactly(State.VERIFYING, State.ACTIVE);
    assertThat(justAfter.getFirst().verifiesUntil()).contains(until);
    assertThat(justAfter.getLast().verifiesUntil()).isEmpty();
    assertThat(states(lastMoment)).containsExactly(State.VERIFYING, State.ACTIVE);
    assertThat(states(atTheEnd)).containsExactly(State.RETIRED, State.ACTIVE);
  }

  @Test
  void statusesWhenRetiredByOperatorThenRetiredWhateverTheClock() {
    List<StoredSigningKey> keys =
        List.of(retired("a", T0, at(Duration.ofMinutes(1))), key("b", at(Duration.ofSeconds(1))));

    assertThat(states(lifecycle.statuses(keys, T0.plusSeconds(2))))
        .containsExactly(State.RETIRED, State.ACTIVE);
  }

  @Test
  void statusesWhenLegacyKeysNeverRotatedOutThenNewestActiveOlderVerifyUntilNextCreatedPlusTtl() {
    List<StoredSigningKey> keys = List.of(key("new", at(Duration.ofHours(2))), key("old", T0));

    List<Status> statuses = lifecycle.statuses(keys, at(Duration.ofHours(2)));

    assertThat(statuses).extracting(Status::kid).containsExactly("old", "new");
    assertThat(states(statuses)).containsExactly(State.VERIFYING, State.ACTIVE);
    assertThat(statuses.getFirst().verifiesUntil())
        .contains(at(Duration.ofHours(3)).plus(SigningKeyLifecycle.CLOCK_SKEW));
  }

  @Test
  void activeWhenRotatedThenTheNewKey() {
    assertThat(lifecycle.active(rotatedOnce(), at(Duration.ofDays(1))))
        .map(StoredSigningKey::kid)
        .contains("b");
  }

  /** A rotation at T0 + 1 day publishing b, which signs from 10 s later. */
  private List<StoredSigningKey> rotatingWithPublishAhead() {
    Instant rotatedAt = at(Duration.ofDays(1));
    Instant activatesAt = rotatedAt.plusSeconds(10);
    return List.of(
        rotatedOut("a", T0, lifecycle.verifyUntilAfterRotation(activatesAt)),
        key("b", rotatedAt).activatingAt(activatesAt));
  }

  @Test
  void statusesWhenSuccessorPendingThenOldKeySignsUntilItActivatesThenVerifies() {
    List<StoredSigningKey> keys = rotatingWithPublishAhead();
    Instant activatesAt = at(Duration.ofDays(1)).plusSeconds(10);

    List<Status> published = lifecycle.statuses(keys, activatesAt.minusMillis(1));
    List<Status> activated = lifecycle.statuses(keys, activatesAt);

    assertThat(states(published)).containsExactly(State.ACTIVE, State.PENDING);
    assertThat(published.getFirst().verifiesUntil())
        .contains(activatesAt.plus(TTL).plus(SigningKeyLifecycle.CLOCK_SKEW));
    assertThat(published.getLast().verifiesUntil()).isEmpty();
    assertThat(lifecycle.active(keys, activatesAt.minusMillis(1)))
        .map(StoredSigningKey::kid)
        .contains("a");
    assertThat(lifecycle.pending(keys, activatesAt.minusMillis(1)))
        .map(StoredSigningKey::kid)
        .contains("b");
    assertThat(states(activated)).containsExactly(State.VERIFYING, State.ACTIVE);
    assertThat(lifecycle.active(keys, activatesAt)).map(StoredSigningKey::kid).contains("b");
    assertThat(lifecycle.pending(keys, activatesAt)).isEmpty();
  }

  @Test
  void rotationDueWhenSuccessorPendingThenFalseAndCountedFromActivation() {
    List<StoredSigningKey> keys = rotatingWithPublishAhead();
    Instant activatesAt = at(Duration.ofDays(1)).plusSeconds(10);
    Duration every = Duration.ofHours(1);

    assertThat(lifecycle.rotationDue(keys, activatesAt.minusMillis(1), every)).isFalse();
    assertThat(lifecycle.rotationDue(keys, activatesAt.plus(every).minusMillis(1), every))
        .isFalse();
    assertThat(lifecycle.rotationDue(keys, activatesAt.plus(every), every)).isTrue();
  }

  @Test
  void retireRefusalWhenPendingThenRefusedEvenWithForce() {
    Instant beforeActivation = at(Duration.ofDays(1)).plusSeconds(5);

    assertThat(lifecycle.retireRefusal(rotatingWithPublishAhead(), "b", beforeActivation, true))
        .hasValueSatisfying(reason -> assertThat(reason).contains("pending").contains("b"));
    assertThat(lifecycle.retireRefusal(rotatingWithPublishAhead(), "a", beforeActivation, true))
        .hasValueSatisfying(reason -> assertThat(reason).contains("active key"));
  }

  @Test
  void rotationDueWhenActiveKeyReachesTheIntervalThenTrueNotBefore() {
    List<StoredSigningKey> keys = List.of(key("a", T0));
    Duration every = Duration.ofDays(30);

    assertThat(lifecycle.rotationDue(keys, at(every).minusMillis(1), every)).isFalse();
    assertThat(lifecycle.rotationDue(keys, at(every), every)).isTrue();
    assertThat(lifecycle.rotationDue(rotatedOnce(), at(every), every)).isFalse();
  }

  @Test
  void retireRefusalWhenActiveKeyThenRefusedEvenWithForce() {
    assertThat(lifecycle.retireRefusal(rotatedOnce(), "b", at(Duration.ofDays(2)), true))
        .hasValueSatisfying(
            reason -> assertThat(reason).contains("active key").contains("rotate first"));
  }

  @Test
  void retireRefusalWhenKeyMayStillVerifyThenRefusedNamingUntilWhenUnlessForced() {
    Instant now = at(Duration.ofDays(1)).plusSeconds(60);
    Instant until = at(Duration.ofDays(1)).plus(TTL).plus(SigningKeyLifecycle.CLOCK_SKEW);

    assertThat(lifecycle.retireRefusal(rotatedOnce(), "a", now, false))
        .hasValueSatisfying(
            reason ->
                assertThat(reason)
                    .contains("may still verify unexpired tokens until " + until)
                    .contains("--force"));
    assertThat(lifecycle.retireRefusal(rotatedOnce(), "a", now, true)).isEmpty();
  }

  @Test
  void retireRefusalWhenPastVerifyUntilThenAllowedWithoutForce() {
    Instant after = at(Duration.ofDays(1)).plus(TTL).plus(SigningKeyLifecycle.CLOCK_SKEW);

    assertThat(lifecycle.retireRefusal(rotatedOnce(), "a", after, false)).isEmpty();
  }

  @Test
  void retireRefusalWhenUnknownOrRetiredAlreadyThenSaysSo() {
    List<StoredSigningKey> keys =
        List.of(retired("a", T0, at(Duration.ofMinutes(1))), key("b", at(Duration.ofSeconds(1))));

    assertThat(lifecycle.retireRefusal(keys, "zz", T0, true))
        .contains("no signing key with kid 'zz'");
    assertThat(lifecycle.retireRefusal(keys, "a", T0, true))
        .hasValueSatisfying(reason -> assertThat(reason).contains("retired already"));
  }
}
