package dev.openwif.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The change listener's reconnect policy: doubling from 100 ms to 5 s, and back to 100 ms only
 * after a connection stayed up 30 s; the time is given, so nothing sleeps.
 */
class ReconnectBackoffTest {
  private static final Duration FIRST = Duration.ofMillis(100);
  private static final Duration MAX = Duration.ofSeconds(5);
  private static final Duration STABLE = Duration.ofSeconds(30);

  private final ReconnectBackoff backoff = new ReconnectBackoff(FIRST, MAX, STABLE);
  private long now = 1_000_000_000L; // any origin: only differences count

  private void pass(Duration d) {
    now += d.toNanos();
  }

  @Test
  void failedWhenConnectingKeepsFailingThenDoublesUpToTheMaximum() {
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      Duration wait = backoff.failed(now);
      waits.add(wait.toMillis());
      pass(wait);
    }
    assertThat(waits).containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L, 5000L);
  }

  @Test
  void failedWhenConnectionFlapsThenBacksOffToTheMaximumInsteadOfResetting() {
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      backoff.connected(now);
      pass(Duration.ofSeconds(1)); // up for a second, then dropped again
      Duration wait = backoff.failed(now);
      waits.add(wait.toMillis());
      pass(wait);
    }
    assertThat(waits).containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L, 5000L);
  }

  @Test
  void failedWhenConnectionStayedUpTheStablePeriodThenStartsAgainFromTheFirstWait() {
    for (int i = 0; i < 8; i++) {
      backoff.failed(now);
    }
    backoff.connected(now);
    pass(STABLE);

    assertThat(backoff.failed(now)).isEqualTo(FIRST);
    assertThat(backoff.failed(now)).isEqualTo(FIRST.multipliedBy(2));
  }

  @Test
  void failedWhenConnectionDroppedJustBeforeTheStablePeriodThenKeepsDoubling() {
    backoff.failed(now);
    backoff.failed(now);
    backoff.connected(now);
    pass(STABLE.minusMillis(1));

    assertThat(backoff.failed(now)).isEqualTo(Duration.ofMillis(400));
  }

  @Test
  void failedWhenFirstConnectionFailsThenFirstWait() {
    backoff.connected(now);
    pass(Duration.ofMillis(10));

    assertThat(backoff.failed(now)).isEqualTo(FIRST);
  }

  @Test
  void newWhenBoundsInconsistentThenRefusedNamingThem() {
    assertThatThrownBy(() -> new ReconnectBackoff(MAX, FIRST, STABLE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("first <= max");
    assertThatThrownBy(() -> new ReconnectBackoff(Duration.ZERO, MAX, STABLE))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
