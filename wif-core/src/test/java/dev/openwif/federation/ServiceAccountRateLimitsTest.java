package dev.openwif.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ServiceAccountRateLimitsTest {
  private final ServiceAccountRateLimits limits =
      new ServiceAccountRateLimits(OptionalLong.of(600), OptionalLong.of(100_000));

  @Test
  void perNodeWhenThreeNodesThenEachLimitIsAThirdRoundedDown() {
    ServiceAccountRateLimits share = limits.perNode(3);

    assertThat(share.maxRequestsPerMinute()).hasValue(200);
    assertThat(share.maxTokensPerMinute()).hasValue(33_333);
  }

  @Test
  void perNodeWhenMoreNodesThanTheLimitThenAtLeastOneAndAbsentLimitsStayAbsent() {
    ServiceAccountRateLimits share =
        new ServiceAccountRateLimits(OptionalLong.of(2), OptionalLong.empty()).perNode(5);

    assertThat(share.maxRequestsPerMinute()).hasValue(1);
    assertThat(share.maxTokensPerMinute()).isEmpty();
  }

  @Test
  void perNodeWhenOneNodeOrUnlimitedThenTheSameLimits() {
    assertThat(limits.perNode(1)).isSameAs(limits);
    assertThat(ServiceAccountRateLimits.unlimited().perNode(4))
        .isSameAs(ServiceAccountRateLimits.unlimited());
  }

  @Test
  void perNodeWhenNoNodesThenRefused() {
    assertThatThrownBy(() -> limits.perNode(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
