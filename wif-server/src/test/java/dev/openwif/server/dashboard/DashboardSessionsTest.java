package dev.openwif.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.testkit.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DashboardSessionsTest {
  private final MutableClock clock = MutableClock.fixed();
  private final DashboardSessions sessions =
      new DashboardSessions(
          new DashboardSettings(
              Duration.ofMinutes(30), Duration.ofHours(8), false, 3, Dashboard.PREFIX),
          clock,
          new SecureRandom());

  @Test
  void openWhenCalledThenRandomIdAndCsrfTokenOf256Bits() {
    DashboardSessions.Session a = sessions.open("key_1");
    DashboardSessions.Session b = sessions.open("key_1");
    assertThat(a.id()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(b.id());
    assertThat(a.csrfToken()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(a.id());
    assertThat(a.toString()).doesNotContain(a.id()).doesNotContain(a.csrfToken());
  }

  @Test
  void touchWhenUsedWithinIdleTimeoutThenIdleClockRestarts() {
    DashboardSessions.Session s = sessions.open("key_1");
    clock.advance(Duration.ofMinutes(29));
    assertThat(sessions.touch(s.id())).isPresent();
    clock.advance(Duration.ofMinutes(29));
    assertThat(sessions.touch(s.id())).isPresent();
    clock.advance(Duration.ofMinutes(30));
    assertThat(sessions.touch(s.id())).isEmpty();
    assertThat(sessions.size()).isZero();
  }

  @Test
  void touchWhenAbsoluteTimeoutPassedThenEndedThoughUsed() {
    DashboardSessions.Session s = sessions.open("key_1");
    for (int i = 0; i < 23; i++) {
      clock.advance(Duration.ofMinutes(20));
      assertThat(sessions.touch(s.id())).isPresent();
    }
    clock.advance(Duration.ofMinutes(20));
    assertThat(sessions.touch(s.id())).isEmpty();
  }

  @Test
  void endWhenCalledThenSessionGone() {
    DashboardSessions.Session s = sessions.open("key_1");
    sessions.end(s.id());
    assertThat(sessions.touch(s.id())).isEmpty();
    assertThat(sessions.touch("unknown")).isEmpty();
  }

  @Test
  void openWhenFullThenOldestDropped() {
    DashboardSessions.Session first = sessions.open("key_1");
    clock.advance(Duration.ofSeconds(1));
    DashboardSessions.Session second = sessions.open("key_1");
    clock.advance(Duration.ofSeconds(1));
    sessions.open("key_1");
    clock.advance(Duration.ofSeconds(1));
    sessions.open("key_1");
    assertThat(sessions.size()).isEqualTo(3);
    assertThat(sessions.touch(first.id())).isEmpty();
    assertThat(sessions.touch(second.id())).isPresent();
  }

  @Test
  void csrfMatchesWhenComparedThenExactOnly() {
    DashboardSessions.Session s = sessions.open("key_1");
    assertThat(s.csrfMatches(s.csrfToken())).isTrue();
    assertThat(s.csrfMatches("")).isFalse();
    assertThat(s.csrfMatches(s.csrfToken() + "x")).isFalse();
    assertThat(s.csrfMatches(s.csrfToken().toUpperCase(java.util.Locale.ROOT))).isFalse();
  }
}
