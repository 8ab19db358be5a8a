package dev.openwif.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricsAddressTest {
  @Test
  void parseWhenHostAndPortThenBoth() {
    assertThat(MetricsAddress.parse("127.0.0.1:9464"))
        .isEqualTo(new MetricsAddress("127.0.0.1", 9464));
    assertThat(MetricsAddress.parse("[::1]:0")).isEqualTo(new MetricsAddress("::1", 0));
    assertThat(MetricsAddress.parse("[::1]:9464").toString()).isEqualTo("[::1]:9464");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"9464", ":9464", "host:", "host:port", "host:70000"})
  void parseWhenMalformedThenOneLineNamingTheFlagOrPort(String value) {
    assertThatThrownBy(() -> MetricsAddress.parse(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metrics");
  }
}
