package dev.openwif.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.testkit.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketLimiterTest {
  private final MutableClock clock = MutableClock.fixed();
  private final TokenBucketLimiter limiter = new TokenBucketLimiter(10, 5, 3, clock);

  @Test
  void tryAcquireWhenBurstSpentThenRefusedWithTimeUntilNextToken() {
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryAcquire("a")).isEmpty();
    }

    assertThat(limiter.tryAcquire("a")).contains(Duration.ofMillis(100));
  }

  @Test
  void tryAcquireWhenTimePassesThenRefillsAtRateUpToBurst() {
    for (int i = 0; i < 5; i++) {
      limiter.tryAcquire("a");
    }
    clock.advance(Duration.ofMillis(250));

    assertThat(limiter.tryAcquire("a")).isEmpty();
    assertThat(limiter.tryAcquire("a")).isEmpty();
    assertThat(limiter.tryAcquire("a"))
        .hasValueSatisfying(wait -> assertThat(wait).isEqualTo(Duration.ofMillis(50)));

    clock.advance(Duration.ofHours(1));
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryAcquire("a")).isEmpty();
    }
    assertThat(limiter.tryAcquire("a")).isPresent();
  }

  @Test
  void tryAcquireWhenOtherKeyThenIndependentBucket() {
    for (int i = 0; i < 5; i++) {
      limiter.tryAcquire("a");
    }

    assertThat(limiter.tryAcquire("a")).isPresent();
    assertThat(limiter.tryAcquire("b")).isEmpty();
  }

  @Test
  void wouldWaitWhenBucketEmptyThenSaysSoWithoutSpending() {
    assertThat(limiter.wouldWait("a")).isEmpty();
    assertThat(limiter.size()).isZero();
    for (int i = 0; i < 5; i++) {
      limiter.tryAcquire("a");
    }

    assertThat(limiter.wouldWait("a")).isPresent();
    clock.advance(Duration.ofMillis(100));
    assertThat(limiter.wouldWait("a")).isEmpty();
    assertThat(limiter.tryAcquire("a")).isEmpty();
  }

  @Test
  void tryAcquireWhenMoreKeysThanMaxThenIdleBucketsDroppedAndMemoryBounded() {
    limiter.tryAcquire("a");
    limiter.tryAcquire("b");
    limiter.tryAcquire("c");
    clock.advance(Duration.ofSeconds(1)); // a, b and c have refilled completely

    limiter.tryAcquire("d");
    assertThat(limiter.size()).isEqualTo(1);

    for (int i = 0; i < 100; i++) {
      limiter.tryAcquire("key-" + i);
      assertThat(limiter.size()).isLessThanOrEqualTo(3);
    }
  }

  @Test
  void constructorWhenSettingsNonsensicalThenRefused() {
    assertThatThrownBy(() -> new TokenBucketLimiter(0, 1, 1, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBucketLimiter(Double.NaN, 1, 1, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBucketLimiter(1, 0, 1, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
