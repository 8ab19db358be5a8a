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
    ReplayGuard guard = new ReplayGuard(clock, 10);
    Instant until = clock.instant().plusSeconds(60);

    assertThat(guard.admit("h1", until)).isEqualTo(ReplayGuard.Admission.FIRST_USE);
    assertThat(guard.admit("h1", until)).isEqualTo(ReplayGuard.Admission.REPLAYED);
    assertThat(guard.admit("h2", until)).isEqualTo(ReplayGuard.Admission.FIRST_USE);
  }

  @Test
  void admitWhenRememberedEntryExpiredThenFirstUseAgain() {
    ReplayGuard guard = new ReplayGuard(clock, 10);
    guard.admit("h1", clock.instant().plusSeconds(60));

    clock.advance(Duration.ofSeconds(61));

    assertThat(guard.admit("h1", clock.instant().plusSeconds(60))).isEqualTo(ReplayGuard.Admission.FIRST_USE);
  }

  @Test
  void admitWhenFullOfUnexpiredEntriesThenFailsClosed() {
    ReplayGuard guard = new ReplayGuard(clock, 2);
    Instant until = clock.instant().plusSeconds(60);
    guard.admit("h1", until);
    guard.admit("h2", until);

    assertThat(guard.admit("h3", until)).isEqualTo(ReplayGuard.Admission.FULL);
    assertThat(guard.admit("h1", until)).isEqualTo(ReplayGuard.Admission.REPLAYED);
  }
}
