package dev.openwif.federation.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.federation.AdminValidationException;
import dev.openwif.federation.ServiceAccountRateLimits;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RateLimitsPatchTest {
  private static final ServiceAccountRateLimits BOTH =
      new ServiceAccountRateLimits(OptionalLong.of(60), OptionalLong.of(1000));

  @Test
  void applyWhenMemberAbsentThenKeptWhenEmptyThenClearedWhenValueThenSet() {
    var patch = new RateLimitsPatch(Optional.of(OptionalLong.of(3)), Optional.empty());
    assertThat(patch.apply(BOTH, "rate_limits"))
        .isEqualTo(new ServiceAccountRateLimits(OptionalLong.of(3), OptionalLong.of(1000)));
    assertThat(
            new RateLimitsPatch(Optional.empty(), Optional.of(OptionalLong.empty()))
                .apply(BOTH, "rate_limits"))
        .isEqualTo(new ServiceAccountRateLimits(OptionalLong.of(60), OptionalLong.empty()));
    assertThat(RateLimitsPatch.clearAll().apply(BOTH, "rate_limits").isUnlimited()).isTrue();
    assertThat(RateLimitsPatch.none().apply(BOTH, "rate_limits")).isEqualTo(BOTH);
  }

  @Test
  void applyWhenOutOfRangeThenValidationErrorNamingTheField() {
    assertThatThrownBy(
            () ->
                new RateLimitsPatch(Optional.of(OptionalLong.of(0)), Optional.empty())
                    .apply(BOTH, "rate_limits"))
        .isInstanceOfSatisfying(
            AdminValidationException.class,
            e -> assertThat(e.param()).isEqualTo("rate_limits.max_requests_per_1_minute"))
        .hasMessageContaining("from 1 to 10000000");
    assertThatThrownBy(
            () ->
                new RateLimitsPatch(
                        Optional.empty(),
                        Optional.of(OptionalLong.of(RateLimitsPatch.MAX_TOKENS_PER_MINUTE + 1)))
                    .apply(BOTH, "rate_limits"))
        .isInstanceOfSatisfying(
            AdminValidationException.class,
            e -> assertThat(e.param()).isEqualTo("rate_limits.max_tokens_per_1_minute"));
  }
}
