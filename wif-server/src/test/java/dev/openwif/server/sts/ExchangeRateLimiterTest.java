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
  void checkWhenProviderBurstSpentByVerifiedTokensFromManyAddressesThenProviderWaits() {
    for (String address : new String[] {"a", "b", "c"}) {
      assertThat(limiter.check(Optional.of(address), "p", ExchangeRateLimiterTest::known))
          .isEmpty();
      assertThat(limiter.passed("p")).isEmpty();
    }

    assertThat(limiter.check(Optional.of("d"), "p", ExchangeRateLimiterTest::known))
        .hasValueSatisfying(limited -> assertThat(limited.which()).isEqualTo("provider p"));
    assertThat(limiter.passed("p")).as("charged after verification").isPresent();
    assertThat(limiter.check(Optional.of("d"), "other", ExchangeRateLimiterTest::known)).isEmpty();
  }

  @Test
  void failedWhenManyFailedVerificationsThenTheProviderBudgetOfGoodExchangesIsUntouched() {
    ExchangeRateLimiter roomy = new ExchangeRateLimiter(1000, 1000, 1, 3, 1, 2, clock);
    for (int i = 0; i < 200; i++) {
      String attacker = "attacker-" + (i % 100);
      if (roomy.check(Optional.of(attacker), "p", ExchangeRateLimiterTest::known).isEmpty()) {
        roomy.failed("p", Optional.of(attacker));
      }
    }

    for (int i = 0; i < 3; i++) {
      assertThat(roomy.check(Optional.of("workload"), "p", ExchangeRateLimiterTest::known))
          .isEmpty();
      assertThat(roomy.passed("p")).as("good exchange %d", i).isEmpty();
    }
  }

  @Test
  void checkWhenProviderFailureBudgetSpentThenOnlyTheFailingAddressIsRefusedBeforeVerification() {
    ExchangeRateLimiter roomy = new ExchangeRateLimiter(1000, 1000, 1, 3, 1, 2, clock);
    roomy.failed("p", Optional.of("x")); // the provider's two failures
    roomy.failed("p", Optional.of("x"));
    for (int i = 0; i < ExchangeRateLimiter.FAILING_ADDRESS_BURST; i++) {
      assertThat(roomy.check(Optional.of("x"), "p", ExchangeRateLimiterTest::known)).isEmpty();
      roomy.failed("p", Optional.of("x"));
    }

    assertThat(roomy.check(Optional.of("x"), "p", ExchangeRateLimiterTest::known))
        .hasValueSatisfying(
            limited ->
                assertThat(limited.which())
                    .isEqualTo("failed verifications for flooded provider p from x"));
    assertThat(roomy.check(Optional.of("x"), "q", ExchangeRateLimiterTest::known))
        .as("another provider")
        .isEmpty();
    assertThat(roomy.check(Optional.of("y"), "p", ExchangeRateLimiterTest::known))
        .as("another address")
        .isEmpty();
    clock.advance(java.time.Duration.ofSeconds(1));
    assertThat(roomy.check(Optional.of("x"), "p", ExchangeRateLimiterTest::known))
        .as("the failing address's bucket refills")
        .isEmpty();
  }

  @Test
  void failedWhenProviderFailureBudgetLeftThenTheAddressIsNotCharged() {
    ExchangeRateLimiter roomy = new ExchangeRateLimiter(1000, 1000, 1, 3, 1, 100, clock);
    for (int i = 0; i < 50; i++) {
      roomy.failed("p", Optional.of("x"));
    }

    assertThat(roomy.check(Optional.of("x"), "p", ExchangeRateLimiterTest::known)).isEmpty();
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
