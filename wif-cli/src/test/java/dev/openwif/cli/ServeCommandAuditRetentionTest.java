package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.server.AuditRetention;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code wif serve --audit-retention} reaches the server configuration; 90 days by default. */
class ServeCommandAuditRetentionTest {
  private static ServeCommand parsed(String... args) {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void configWhenNoFlagThenNinetyDays() {
    assertThat(parsed().config(null).auditRetention().keep()).contains(Duration.ofDays(90));
  }

  @Test
  void configWhenDaysHoursOrForeverThenCarried() {
    assertThat(parsed("--audit-retention", "30d").config(null).auditRetention().keep())
        .contains(Duration.ofDays(30));
    assertThat(parsed("--audit-retention", "36h").config(null).auditRetention().keep())
        .contains(Duration.ofHours(36));
    assertThat(parsed("--audit-retention", "forever").config(null).auditRetention())
        .isEqualTo(new AuditRetention(Optional.empty()));
  }

  @Test
  void configWhenMalformedThenRefusedNamingTheFlag() {
    for (String bad : new String[] {"0", "0d", "90", "90 days", "-1d", "1.5d", "30m", "P90D", ""}) {
      assertThatThrownBy(() -> parsed("--audit-retention", bad).config(null))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--audit-retention");
    }
  }
}
