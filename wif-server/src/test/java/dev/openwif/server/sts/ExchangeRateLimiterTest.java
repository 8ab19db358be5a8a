package dev.openwif.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.testkit.MutableClock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExchangeRateLimiterTest {
  private final MutableClock clock = MutableClock.fixed();
  private static final java.util.function.Predicate<String> KNOWN = id -> !id.startsWith("made-up");
  private final ExchangeRateLimiter limiter = new ExchangeRateLimiter(1, 2, 1, 3, clock);

  @Test
  void checkWhenAddressBurstSpentThenThatAddressWaitsOthersDoNot() {
    assertThat(limiter.check(Optional.of("10.0.0.1"), "p1", KNOWN)).isEmpty();
    assertThat(limiter.check(Optional.of("10.0.0.1"), "p2", KNOWN)).isEmpty();

    assertThat(limiter.check(Optional.of("10.0.0.1"), "p3", KNOWN)).isPresent();
    assertThat(limiter.check(Optional.of("10.0.0.2"), "p3", KNOWN)).isEmpty();
  }

  @Test
  void checkWhenProviderBurstSpentByManyAddressesThenProviderWaits() {
    assertThat(limiter.check(Optional.of("a"), "p", KNOWN)).isEmpty();
    assertThat(limiter.check(Optional.of("b"), "p", KNOWN)).isEmpty();
    assertThat(limiter.check(Optional.of("c"), "p", KNOWN)).isEmpty();

    assertThat(limiter.check(Optional.of("d"), "p", KNOWN)).isPresent();
    assertThat(limiter.check(Optional.of("d"), "other", KNOWN)).isEmpty();
  }

  @Test
  void checkWhenAddressUnknownThenSharesOneBucket() {
    limiter.check(Optional.empty(), "p1", KNOWN);
    limiter.check(Optional.empty(), "p2", KNOWN);

    assertThat(limiter.check(Optional.empty(), "p3", KNOWN)).isPresent();
  }

  @Test
  void checkWhenProviderUnknownThenAllUnknownIdsShareOneBucketAndKnownOnesKeepTheirs() {
    assertThat(limiter.check(Optional.of("a"), "made-up-1", KNOWN)).isEmpty();
    assertThat(limiter.check(Optional.of("b"), "made-up-2", KNOWN)).isEmpty();
    assertThat(limiter.check(Optional.of("c"), "made-up-3", KNOWN)).isEmpty();

    assertThat(limiter.check(Optional.of("d"), "made-up-4", KNOWN))
        .hasValueSatisfying(limited -> assertThat(limited.which()).isEqualTo("unknown providers"));
    assertThat(limiter.check(Optional.of("e"), "p", KNOWN)).isEmpty();
  }
}
