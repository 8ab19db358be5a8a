package dev.openwif.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {
  private final MutableClock clock = MutableClock.fixed();

  @Test
  void admitWhenSameHashTwiceBeforeExpiryThenReplayed() {
    ReplayGuard guard = new ReplayGuard(clock, 10, 1_000_000);
    Instant until = clock.instant().plusSeconds(60);

    assertThat(guard.admit("wip_1", "h1", until)).isEqualTo(ReplayGuard.Admission.FIRST_USE);
    assertThat(guard.admit("wip_1", "h1", until)).isEqualTo(ReplayGuard.Admission.REPLAYED);
    assertThat(guard.admit("wip_1", "h2", until)).isEqualTo(ReplayGuard.Admission.FIRST_USE);
  }

  /**
   * A replay that passes verification just before its window closes (exp + leeway) and reaches the
   * memory just after: the first use's entry is then forgotten, so the copy must not be admitted.
   */
  @Test
  void admitWhenTheTokensWindowClosedBeforeAdmissionThenTooLateNotAFirstUse() {
    ReplayGuard guard = new ReplayGuard(clock, 10, 1_000_000);
    Instant window = clock.instant().plusSeconds(60);
    assertThat(guard.admit("wip_1", "h1", window)).isEqualTo(ReplayGuard.Admission.FIRST_USE);

    clock.set(window); // verified at window - 1 ms, admitted now

    assertThat(guard.admit("wip_1", "h1", window)).isEqualTo(ReplayGuard.Admission.TOO_LATE);
    assertThat(guard.admit("wip_1", "h2", window)).isEqualTo(ReplayGuard.Admission.TOO_LATE);
  }

  @Test
  void admitWhenRememberedEntryExpiredThenFirstUseAgain() {
    ReplayGuard guard = new ReplayGuard(clock, 10, 1_000_000);
    guard.admit("wip_1", "h1", clock.instant().plusSeconds(60));

    clock.advance(Duration.ofSeconds(61));

    assertThat(guard.admit("wip_1", "h1", clock.instant().plusSeconds(60)))
        .isEqualTo(ReplayGuard.Admission.FIRST_USE);
  }

  @Test
  void admitWhenFullOfUnexpiredEntriesThenFailsClosed() {
    ReplayGuard guard = new ReplayGuard(clock, 2, 1_000_000);
    Instant until = clock.instant().plusSeconds(60);
    guard.admit("wip_1", "h1", until);
    guard.admit("wip_1", "h2", until);

    assertThat(guard.admit("wip_1", "h3", until)).isEqualTo(ReplayGuard.Admission.FULL);
    assertThat(guard.admit("wip_1", "h1", until)).isEqualTo(ReplayGuard.Admission.REPLAYED);
  }

  @Test
  void admitWhenAnotherProvidersMemoryIsFloodedThenThisProviderStillAdmitsAndCatchesReplays() {
    ReplayGuard guard = new ReplayGuard(clock, 100, 1_000_000);
    Instant until = clock.instant().plusSeconds(600);
    assertThat(guard.admit("wip_b", "b-old", until)).isEqualTo(ReplayGuard.Admission.FIRST_USE);

    // provider A's issuer mints unexpired tokens in bulk: far more than one memory holds
    int full = 0;
    for (int i = 0; i < 5_000; i++) {
      if (guard.admit("wip_a", "a-" + i, until) == ReplayGuard.Admission.FULL) {
        full++;
      }
    }

    assertThat(full).as("provider A is refused once its own memory is full").isEqualTo(4_900);
    assertThat(guard.admit("wip_b", "b-old", until))
        .as("B's token used before the flood is still remembered")
        .isEqualTo(ReplayGuard.Admission.REPLAYED);
    assertThat(guard.admit("wip_b", "b-new", until))
        .as("B's fresh token is admitted: A's flood does not fill B's memory")
        .isEqualTo(ReplayGuard.Admission.FIRST_USE);
    assertThat(guard.admit("wip_b", "b-new", until))
        .as("and B's replay is still caught")
        .isEqualTo(ReplayGuard.Admission.REPLAYED);
  }

  @Test
  void admitWhenSameKeyUnderTwoProvidersThenEachMemoryIsSeparate() {
    ReplayGuard guard = new ReplayGuard(clock, 10, 1_000_000);
    Instant until = clock.instant().plusSeconds(60);

    assertThat(guard.admit("wip_a", "h1", until)).isEqualTo(ReplayGuard.Admission.FIRST_USE);
    assertThat(guard.admit("wip_b", "h1", until)).isEqualTo(ReplayGuard.Admission.FIRST_USE);
    assertThat(guard.admit("wip_a", "h1", until)).isEqualTo(ReplayGuard.Admission.REPLAYED);
  }

  @Test
  void admitWhenAllProvidersTogetherReachTheTotalBoundThenFailsClosedNeverAdmitsSilently() {
    ReplayGuard guard = new ReplayGuard(clock, 100, 150);
    Instant until = clock.instant().plusSeconds(600);
    for (int i = 0; i < 100; i++) {
      assertThat(guard.admit("wip_a", "a-" + i, until)).isEqualTo(ReplayGuard.Admission.FIRST_USE);
    }
    for (int i = 0; i < 50; i++) {
      assertThat(guard.admit("wip_b", "b-" + i, until)).isEqualTo(ReplayGuard.Admission.FIRST_USE);
    }

    assertThat(guard.admit("wip_b", "b-50", until))
        .as("B's own memory has room, but the total is reached")
        .isEqualTo(ReplayGuard.Admission.FULL);
    assertThat(guard.admit("wip_c", "c-0", until)).isEqualTo(ReplayGuard.Admission.FULL);
    assertThat(guard.admit("wip_b", "b-0", until))
        .as("a replay is still caught at the bound")
        .isEqualTo(ReplayGuard.Admission.REPLAYED);
    assertThat(guard.size()).isEqualTo(150);

    clock.advance(Duration.ofSeconds(601));
    assertThat(guard.admit("wip_c", "c-0", clock.instant().plusSeconds(60)))
        .as("once the entries expired, the sweep at the bound makes room")
        .isEqualTo(ReplayGuard.Admission.FIRST_USE);
    assertThat(guard.size()).isEqualTo(1);
  }

  @Test
  void retainProvidersWhenAProviderIsGoneThenItsMemoryIsDroppedAndItsRoomFreed() {
    ReplayGuard guard = new ReplayGuard(clock, 100, 150);
    Instant until = clock.instant().plusSeconds(600);
    for (int i = 0; i < 100; i++) {
      guard.admit("wip_deleted", "d-" + i, until);
    }
    for (int i = 0; i < 50; i++) {
      guard.admit("wip_kept", "k-" + i, until);
    }
    assertThat(guard.admit("wip_kept", "k-50", until)).isEqualTo(ReplayGuard.Admission.FULL);

    guard.retainProviders(id -> id.equals("wip_kept"));

    assertThat(guard.providers()).isEqualTo(1);
    assertThat(guard.size()).isEqualTo(50);
    assertThat(guard.admit("wip_kept", "k-50", until)).isEqualTo(ReplayGuard.Admission.FIRST_USE);
    assertThat(guard.admit("wip_kept", "k-0", until))
        .as("the kept provider's memory is intact")
        .isEqualTo(ReplayGuard.Admission.REPLAYED);
  }

  @Test
  void forgetWhenAdmissionGivenBackThenTheTokenMayBeUsedOnceMore() {
    ReplayGuard guard = new ReplayGuard(clock, 10, 10);
    Instant until = clock.instant().plusSeconds(60);
    guard.admit("wip_1", "h1", until);

    guard.forget("wip_1", "h1", until.plusSeconds(1));
    assertThat(guard.admit("wip_1", "h1", until))
        .as("only the entry that admission made is forgotten")
        .isEqualTo(ReplayGuard.Admission.REPLAYED);

    guard.forget("wip_1", "h1", until);
    assertThat(guard.size()).isZero();
    assertThat(guard.admit("wip_1", "h1", until)).isEqualTo(ReplayGuard.Admission.FIRST_USE);
    assertThat(guard.admit("wip_1", "h1", until)).isEqualTo(ReplayGuard.Admission.REPLAYED);
  }

  private static dev.openwif.oidc.VerifiedSubjectToken verified(java.util.Optional<String> jti) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new dev.openwif.oidc.VerifiedSubjectToken(
        java.util.Map.of(), "ES256", "k", t, t.plusSeconds(60), jti);
  }

  @Test
  void keyOfWhenNoJtiThenSignatureIgnoredAndProviderScoped() {
    dev.openwif.oidc.VerifiedSubjectToken token = verified(java.util.Optional.empty());

    assertThat(ReplayGuard.keyOf("wip_1", "h.p.sig1", token))
        .isEqualTo(ReplayGuard.keyOf("wip_1", "h.p.sig2", token));
    assertThat(ReplayGuard.keyOf("wip_1", "h.p.sig1", token))
        .isNotEqualTo(ReplayGuard.keyOf("wip_1", "h.q.sig1", token));
    assertThat(ReplayGuard.keyOf("wip_1", "h.p.sig1", token))
        .isNotEqualTo(ReplayGuard.keyOf("wip_2", "h.p.sig1", token));
  }

  @Test
  void keyOfWhenJtiThenSameKeyForAnyTokenCarryingIt() {
    dev.openwif.oidc.VerifiedSubjectToken token = verified(java.util.Optional.of("j-1"));

    assertThat(ReplayGuard.keyOf("wip_1", "a.b.c", token))
        .isEqualTo(ReplayGuard.keyOf("wip_1", "x.y.z", token));
    assertThat(ReplayGuard.keyOf("wip_1", "a.b.c", token)).hasSize(64).doesNotContain("j-1");
  }
}
