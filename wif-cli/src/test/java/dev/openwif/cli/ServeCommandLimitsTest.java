package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.server.RateLimits;
import dev.openwif.server.http.ConnectionLimits;
import java.time.Duration;
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
  void configWhenFailureLimitFlagsGivenThenRateLimitsCarryThem() {
    ServeCommand command = new ServeCommand();
    new CommandLine(command)
        .parseArgs(
            "--exchange-failure-rate-per-provider",
            "4.5",
            "--exchange-failure-burst-per-provider",
            "9",
            "--bearer-failure-rate-per-address",
            "0.5",
            "--bearer-failure-burst-per-address",
            "6");

    assertThat(command.config(null).rateLimits())
        .isEqualTo(RateLimits.defaults().withFailureLimits(4.5, 9, 0.5, 6));
  }

  @Test
  void configWhenNoFailureLimitFlagsThenDocumentedDefaults() {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs();

    RateLimits limits = command.config(null).rateLimits();
    assertThat(limits.exchangeFailuresPerProviderPerSecond()).isEqualTo(20);
    assertThat(limits.exchangeFailureBurstPerProvider()).isEqualTo(100);
    assertThat(limits.bearerFailuresPerAddressPerSecond()).isEqualTo(2);
    assertThat(limits.bearerFailureBurstPerAddress()).isEqualTo(20);
  }

  @Test
  void configWhenMaxSnapshotAgeGivenThenParsedStrictly() {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs("--max-snapshot-age", "90s");
    assertThat(command.config(null).maxSnapshotAge()).isEqualTo(Duration.ofSeconds(90));

    new CommandLine(command).parseArgs("--max-snapshot-age", "2h");
    assertThat(command.config(null).maxSnapshotAge()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void configWhenNoMaxSnapshotAgeThenFiveMinutes() {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs();

    assertThat(command.config(null).maxSnapshotAge()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void configWhenMaxSnapshotAgeMalformedThenRefusedNamingTheFlag() {
    for (String bad : new String[] {"300", "5 m", "-5m", "1.5m", "5min", "PT5M", "", "5d"}) {
      ServeCommand command = new ServeCommand();
      new CommandLine(command).parseArgs("--max-snapshot-age", bad);

      assertThatThrownBy(() -> command.config(null))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--max-snapshot-age")
          .hasMessageContaining("whole number followed by s, m or h");
    }
  }

  @Test
  void configWhenMaxSnapshotAgeShorterThanThreeResyncIntervalsOrOverADayThenRefused() {
    for (String bad : new String[] {"14s", "0s", "25h"}) {
      ServeCommand command = new ServeCommand();
      new CommandLine(command).parseArgs("--max-snapshot-age", bad);

      assertThatThrownBy(() -> command.config(null))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--max-snapshot-age")
          .hasMessageContaining("between 15 s (three re-sync intervals of 5 s) and 86400 s");
    }
  }

  @Test
  void configWhenLimitNotPositiveThenRefused() {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs("--exchange-burst-per-address", "0");

    assertThatThrownBy(() -> command.config(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void configWhenConnectionFlagsGivenThenConnectionLimitsCarryThem() {
    ServeCommand command = new ServeCommand();
    new CommandLine(command)
        .parseArgs(
            "--max-connections",
            "100",
            "--max-concurrent-requests",
            "50",
            "--header-timeout",
            "5",
            "--idle-timeout",
            "30");

    assertThat(command.config(null).connectionLimits())
        .isEqualTo(new ConnectionLimits(100, 50, Duration.ofSeconds(5), Duration.ofSeconds(30)));
  }

  @Test
  void configWhenNoConnectionFlagsThenDefaults() {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs();

    assertThat(command.config(null).connectionLimits())
        .isEqualTo(ConnectionLimits.defaults())
        .isEqualTo(
            new ConnectionLimits(2048, 1024, Duration.ofSeconds(10), Duration.ofSeconds(60)));
  }

  @Test
  void configWhenConnectionLimitNotPositiveThenRefusedNamingTheFlag() {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs("--header-timeout", "0");

    assertThatThrownBy(() -> command.config(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--header-timeout");
  }

  @Test
  void parseWhenConnectionLimitNotANumberThenPicocliRefuses() {
    ServeCommand command = new ServeCommand();

    assertThatThrownBy(() -> new CommandLine(command).parseArgs("--max-connections", "lots"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--max-connections");
  }
}
