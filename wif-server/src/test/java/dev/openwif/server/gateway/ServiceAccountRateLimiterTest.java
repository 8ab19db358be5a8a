package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.federation.ServiceAccountRateLimits;
import dev.openwif.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ServiceAccountRateLimiterTest {
  private final MutableClock clock = MutableClock.at(Instant.parse("2026-12-06T02:00:00Z"));
  private final ServiceAccountRateLimiter limiter = new ServiceAccountRateLimiter(clock);

  private static ServiceAccountRateLimits requests(long n) {
    return new ServiceAccountRateLimits(OptionalLong.of(n), OptionalLong.empty());
  }

  private static ServiceAccountRateLimits tokens(long n) {
    return new ServiceAccountRateLimits(OptionalLong.empty(), OptionalLong.of(n));
  }

  @Test
  void admitWhenThreeAMinuteThenThreeAdmittedFourthRefusedWithTruthfulNumbers() {
    for (int i = 2; i >= 0; i--) {
      var d = limiter.admit("sa_1", requests(3));
      assertThat(d.admitted()).isTrue();
      assertThat(d.requests().orElseThrow().remaining()).isEqualTo(i);
      assertThat(d.requests().orElseThrow().limit()).isEqualTo(3);
    }
    var refused = limiter.admit("sa_1", requests(3));
    assertThat(refused.refusedBy()).contains("requests");
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(20));
    assertThat(refused.requests().orElseThrow().remaining()).isZero();
    assertThat(refused.requests().orElseThrow().reset()).isEqualTo(Duration.ofMinutes(1));
    assertThat(RateLimitHeaders.of(refused))
        .containsExactly(
            Map.entry("x-ratelimit-limit-requests", "3"),
            Map.entry("x-ratelimit-remaining-requests", "0"),
            Map.entry("x-ratelimit-reset-requests", "1m0s"),
            Map.entry("retry-after", "20"),
            Map.entry("retry-after-ms", "20000"));

    clock.advance(Duration.ofSeconds(20));
    assertThat(limiter.admit("sa_1", requests(3)).admitted()).isTrue();
    assertThat(limiter.admit("sa_1", requests(3)).admitted()).isFalse();
    assertThat(limiter.admit("sa_2", requests(3)).admitted()).isTrue();
  }

  @Test
  void admitWhenLimitRaisedThenUsedKeptAndTheRestAvailable() {
    for (int i = 0; i < 3; i++) {
      limiter.admit("sa_1", requests(3));
    }
    var d = limiter.admit("sa_1", requests(10));
    assertThat(d.admitted()).isTrue();
    assertThat(d.requests().orElseThrow().remaining()).isEqualTo(6);
  }

  @Test
  void admitWhenTokensDebitedBeyondTheBucketThenRefusedUntilRepaid() {
    assertThat(limiter.admit("sa_1", tokens(600)).admitted()).isTrue();
    limiter.debitTokens("sa_1", tokens(600), 700);

    var refused = limiter.admit("sa_1", tokens(600));
    assertThat(refused.refusedBy()).contains("tokens");
    assertThat(refused.tokens().orElseThrow().remaining()).isZero();
    // 100 tokens of debt at 10 a second
    assertThat(refused.retryAfter()).isBetween(Duration.ofSeconds(10), Duration.ofMillis(10_001));
    assertThat(RateLimitHeaders.of(refused)).containsEntry("retry-after", "11");

    clock.advance(Duration.ofMillis(10_100));
    var admitted = limiter.admit("sa_1", tokens(600));
    assertThat(admitted.admitted()).isTrue();
    assertThat(admitted.tokens().orElseThrow().remaining()).isEqualTo(1);
    assertThat(admitted.requests()).isEmpty();
  }

  @Test
  void debitWhenHugeThenDebtCappedAtOneMinute() {
    limiter.admit("sa_1", tokens(600));
    limiter.debitTokens("sa_1", tokens(600), 1_000_000);
    clock.advance(Duration.ofSeconds(61));
    assertThat(limiter.admit("sa_1", tokens(600)).admitted()).isTrue();
  }

  @Test
  void retainOnlyWhenAccountsNoLongerLimitedThenBucketsDropped() {
    limiter.admit("sa_1", requests(3));
    limiter.admit("sa_2", requests(3));
    assertThat(limiter.admit("sa_3", ServiceAccountRateLimits.unlimited()))
        .isEqualTo(ServiceAccountRateLimiter.Decision.UNLIMITED);
    assertThat(limiter.size()).isEqualTo(2);

    limiter.retainOnly("sa_2"::equals);
    assertThat(limiter.size()).isEqualTo(1);
    limiter.admit("sa_2", ServiceAccountRateLimits.unlimited());
    assertThat(limiter.size()).isZero();
  }

  @Test
  void durationWhenFormattedThenAsOpenAiWritesIt() {
    assertThat(RateLimitHeaders.duration(Duration.ZERO)).isEqualTo("0s");
    assertThat(RateLimitHeaders.duration(Duration.ofNanos(1))).isEqualTo("1ms");
    assertThat(RateLimitHeaders.duration(Duration.ofMillis(120))).isEqualTo("120ms");
    assertThat(RateLimitHeaders.duration(Duration.ofSeconds(1))).isEqualTo("1s");
    assertThat(RateLimitHeaders.duration(Duration.ofMillis(17_142))).isEqualTo("17.142s");
    assertThat(RateLimitHeaders.duration(Duration.ofMillis(8_640))).isEqualTo("8.64s");
    assertThat(RateLimitHeaders.duration(Duration.ofMinutes(6))).isEqualTo("6m0s");
    assertThat(RateLimitHeaders.duration(Duration.ofHours(1))).isEqualTo("1h0m0s");
    assertThat(RateLimitHeaders.of(ServiceAccountRateLimiter.Decision.UNLIMITED)).isEmpty();
  }
}
