package dev.openwif.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AuditRetentionTest {
  @Test
  void parseWhenDaysOrHoursThenThatLong() {
    assertThat(AuditRetention.parse("90d").keep()).contains(Duration.ofDays(90));
    assertThat(AuditRetention.parse(" 1H ").keep()).contains(Duration.ofHours(1));
    assertThat(AuditRetention.parse("36500d").keep()).contains(Duration.ofDays(36_500));
    assertThat(AuditRetention.parse("Forever").keep()).isEmpty();
  }

  @Test
  void parseWhenZeroOutOfRangeOrNotADurationThenAClearError() {
    assertThatThrownBy(() -> AuditRetention.parse("0"))
        .hasMessageContaining("--audit-retention")
        .hasMessageContaining("'0'");
    assertThatThrownBy(() -> AuditRetention.parse("0h"))
        .hasMessageContaining("between 1h and 36500d")
        .hasMessageContaining("forever");
    assertThatThrownBy(() -> AuditRetention.parse("36501d")).hasMessageContaining("36500d");
    assertThatThrownBy(() -> AuditRetention.parse("9999999999d"))
        .hasMessageContaining("--audit-retention");
    assertThatThrownBy(() -> AuditRetention.parse("ninety days"))
        .hasMessageContaining("such as 90d or 36h");
  }

  @Test
  void defaultsAreNinetyDaysAndPrintAsTheyAreWritten() {
    assertThat(ServerConfig.defaults().auditRetention()).isEqualTo(AuditRetention.defaults());
    assertThat(AuditRetention.defaults()).hasToString("90d");
    assertThat(AuditRetention.parse("36h")).hasToString("36h");
    assertThat(AuditRetention.forever()).hasToString("forever");
  }
}
