package dev.openwif.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.testkit.MutableClock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExchangeRateLimiterTest {
  private final MutableClock clock = MutableClock.fixed();
  private final ExchangeRateLimiter limiter = new ExchangeRateLimiter(1, 2, 1, 3, clock);

  @Test
  void checkWhenAddressBurstSpentThenThatAddressWaitsOthersDoNot() {
    assertThat(limiter.check(Optional.of("10.0.0.1"), "p1")).isEmpty();
    assertThat(limiter.check(Optional.of("10.0.0.1"), "p2")).isEmpty();

    assertThat(limiter.check(Optional.of("10.0.0.1"), "p3")).isPresent();
    assertThat(limiter.check(Optional.of("10.0.0.2"), "p3")).isEmpty();
  }

  @Test
  void checkWhenProviderBurstSpentByManyAddressesThenProviderWaits() {
    assertThat(limiter.check(Optional.of("a"), "p")).isEmpty();
    assertThat(limiter.check(Optional.of("b"), "p")).isEmpty();
    assertThat(limiter.check(Optional.of("c"), "p")).isEmpty();

    assertThat(limiter.check(Optional.of("d"), "p")).isPresent();
    assertThat(limiter.check(Optional.of("d"), "other")).isEmpty();
  }

  @Test
  void checkWhenAddressUnknownThenSharesOneBucket() {
    limiter.check(Optional.empty(), "p1");
    limiter.check(Optional.empty(), "p2");

    assertThat(limiter.check(Optional.empty(), "p3")).isPresent();
  }
}
