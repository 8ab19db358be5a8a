package dev.openwif.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.testkit.MutableClock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExchangeRateLimiterTest {
  private final MutableClock clock = MutableClock.fixed();

  private static boolean known(String providerId) {
    return !providerId.startsWith("made-up");
  }

  private final ExchangeRateLimiter limiter = new ExchangeRateLimiter(1, 2, 1, 3, clock);

  @Test
  void checkWhenAddressBurstSpentThenThatAddressWaitsOthersDoNot() {
    assertThat(limiter.check(Optional.of("10.0.0.1"), "p1", ExchangeRateLimiterTest::known))
        .isEmpty();
    assertThat(limiter.check(Optional.of("10.0.0.1"), "p2", ExchangeRateLimiterTest::known))
        .isEmpty();

    assertThat(limiter.check(Optional.of("10.0.0.1"), "p3", ExchangeRateLimiterTest::known))
        .isPresent();
    assertThat(limiter.check(Optional.of("10.0.0.2"), "p3", ExchangeRateLimiterTest::known))
        .isEmpty();
  }

  @Test
  void checkWhenProviderBurstSpentByManyAddressesThenProviderWaits() {
    assertThat(limiter.check(Optional.of("a"), "p", ExchangeRateLimiterTest::known)).isEmpty();
    assertThat(limiter.check(Optional.of("b"), "p", ExchangeRateLimiterTest::known)).isEmpty();
    assertThat(limiter.check(Optional.of("c"), "p", ExchangeRateLimiterTest::known)).isEmpty();

    assertThat(limiter.check(Optional.of("d"), "p", ExchangeRateLimiterTest::known)).isPresent();
    assertThat(limiter.check(Optional.of("d"), "other", ExchangeRateLimiterTest::known)).isEmpty();
  }

  @Test
  void checkWhenAddressUnknownThenSharesOneBucket() {
    limiter.check(Optional.empty(), "p1", ExchangeRateLimiterTest::known);
    limiter.check(Optional.empty(), "p2", ExchangeRateLimiterTest::known);

    assertThat(limiter.check(Optional.empty(), "p3", ExchangeRateLimiterTest::known)).isPresent();
  }

  @Test
  void checkWhenProviderUnknownThenAllUnknownIdsShareOneBucketAndKnownOnesKeepTheirs() {
    assertThat(limiter.check(Optional.of("a"), "made-up-1", ExchangeRateLimiterTest::known))
        .isEmpty();
    assertThat(limiter.check(Optional.of("b"), "made-up-2", ExchangeRateLimiterTest::known))
        .isEmpty();
    assertThat(limiter.check(Optional.of("c"), "made-up-3", ExchangeRateLimiterTest::known))
        .isEmpty();

    assertThat(limiter.check(Optional.of("d"), "made-up-4", ExchangeRateLimiterTest::known))
        .hasValueSatisfying(limited -> assertThat(limited.which()).isEqualTo("unknown providers"));
    assertThat(limiter.check(Optional.of("e"), "p", ExchangeRateLimiterTest::known)).isEmpty();
  }
}
