package dev.openwif.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.oidc.VerifiedSubjectToken;
import dev.openwif.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {
  private final MutableClock clock = MutableClock.fixed();
  private final ReplayGuard guard = new ReplayGuard(clock, Duration.ofSeconds(60), 100);

  private VerifiedSubjectToken token(Optional<String> jti, Duration lifetime) {
    Instant now = clock.instant();
    return new VerifiedSubjectToken(Map.of("sub", "s"), "RS256", "k", now, now.plus(lifetime), jti);
  }

  @Test
  void firstUseWhenSameJtiTwiceThenReplayed() {
    VerifiedSubjectToken token = token(Optional.of("jti-1"), Duration.ofMinutes(10));

    assertThat(guard.firstUse("p1", token, "a.b.c")).isEqualTo(ReplayGuard.Decision.FIRST_USE);
    assertThat(guard.firstUse("p1", token, "other.compact.form")).isEqualTo(ReplayGuard.Decision.REPLAYED);
  }

  @Test
  void firstUseWhenSameJtiAtAnotherProviderThenFirstUse() {
    VerifiedSubjectToken token = token(Optional.of("jti-1"), Duration.ofMinutes(10));
    guard.firstUse("p1", token, "a.b.c");

    assertThat(guard.firstUse("p2", token, "a.b.c")).isEqualTo(ReplayGuard.Decision.FIRST_USE);
  }

  @Test
  void firstUseWhenNoJtiThenTokenHashDecides() {
    VerifiedSubjectToken token = token(Optional.empty(), Duration.ofMinutes(10));

    assertThat(guard.firstUse("p1", token, "h.p.s1")).isEqualTo(ReplayGuard.Decision.FIRST_USE);
    assertThat(guard.firstUse("p1", token, "h.p.s1")).isEqualTo(ReplayGuard.Decision.REPLAYED);
    assertThat(guard.firstUse("p1", token, "h.p.s2")).isEqualTo(ReplayGuard.Decision.FIRST_USE);
  }

  @Test
  void firstUseWhenTokenExpiredPastLeewayThenForgottenAndEvicted() {
    VerifiedSubjectToken token = token(Optional.of("jti-1"), Duration.ofMinutes(10));
    guard.firstUse("p1", token, "a.b.c");

    clock.advance(Duration.ofMinutes(10).plusSeconds(59));
    assertThat(guard.firstUse("p1", token, "a.b.c")).isEqualTo(ReplayGuard.Decision.REPLAYED);
    clock.advance(Duration.ofSeconds(1));
    guard.evictExpired(clock.instant());

    assertThat(guard.size()).isZero();
  }

  @Test
  void firstUseWhenFullOfLiveTokensThenFullAndWhenTheyExpireThenRoomAgain() {
    for (int i = 0; i < 100; i++) {
      assertThat(guard.firstUse("p1", token(Optional.of("jti-" + i), Duration.ofMinutes(5)), "t"))
          .isEqualTo(ReplayGuard.Decision.FIRST_USE);
    }

    assertThat(guard.firstUse("p1", token(Optional.of("one-more"), Duration.ofMinutes(5)), "t"))
        .isEqualTo(ReplayGuard.Decision.FULL);
    assertThat(guard.firstUse("p1", token(Optional.of("jti-7"), Duration.ofMinutes(5)), "t"))
        .as("a remembered token is still recognised when full").isEqualTo(ReplayGuard.Decision.REPLAYED);

    clock.advance(Duration.ofMinutes(7));
    assertThat(guard.firstUse("p1", token(Optional.of("one-more"), Duration.ofMinutes(5)), "t"))
        .isEqualTo(ReplayGuard.Decision.FIRST_USE);
    assertThat(guard.size()).isEqualTo(1);
  }

  @Test
  void firstUseWhenRacedByManyThreadsThenExactlyOneFirstUse() throws Exception {
    VerifiedSubjectToken token = token(Optional.of("raced"), Duration.ofMinutes(10));
    List<Callable<ReplayGuard.Decision>> calls = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      calls.add(() -> guard.firstUse("p1", token, "a.b.c"));
    }
    List<ReplayGuard.Decision> decisions = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (Future<ReplayGuard.Decision> f : pool.invokeAll(calls, 10, TimeUnit.SECONDS)) {
        decisions.add(f.get());
      }
    }

    assertThat(decisions).filteredOn(d -> d == ReplayGuard.Decision.FIRST_USE).hasSize(1);
    assertThat(decisions).filteredOn(d -> d == ReplayGuard.Decision.REPLAYED).hasSize(63);
  }

  @Test
  void describeWhenJtiThenJtiElseHashPrefix() {
    assertThat(ReplayGuard.describe(token(Optional.of("abc"), Duration.ofMinutes(1)), "x")).isEqualTo("jti \"abc\"");
    assertThat(ReplayGuard.describe(token(Optional.empty(), Duration.ofMinutes(1)), "x"))
        .isEqualTo("token sha256 2d711642b726b044");
  }
}
