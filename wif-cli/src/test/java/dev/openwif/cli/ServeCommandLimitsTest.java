package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.server.RateLimits;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code wif serve}'s abuse-limit flags reach {@link RateLimits}; their defaults are {@link
 * RateLimits#defaults()}.
 */
class ServeCommandLimitsTest {
  @Test
  void configWhenLimitFlagsGivenThenRateLimitsCarryThem() {
    ServeCommand command = new ServeCommand();
    new CommandLine(command)
        .parseArgs(
            "--exchange-rate-per-address",
            "5",
            "--exchange-burst-per-address",
            "7",
            "--exchange-rate-per-provider",
            "20.5",
            "--exchange-burst-per-provider",
            "30",
            "--admin-auth-failures-per-minute",
            "3");

    assertThat(command.config(null).rateLimits()).isEqualTo(new RateLimits(5, 7, 20.5, 30, 3));
  }

  @Test
  void configWhenNoLimitFlagsThenDefaults() {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs();

    assertThat(command.config(null).rateLimits())
        .isEqualTo(RateLimits.defaults())
        .isEqualTo(new RateLimits(50, 100, 200, 400, 10));
  }

  @Test
  void configWhenLimitNotPositiveThenRefused() {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs("--exchange-burst-per-address", "0");

    assertThatThrownBy(() -> command.config(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
