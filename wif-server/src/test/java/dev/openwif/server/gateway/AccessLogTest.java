package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessLogTest {
  @Test
  void cleanWhenValueCouldSplitOrForgeALineThenReplacedAndCut() {
    assertThat(AccessLog.clean("/v1/x\nmethod=GET status=200"))
        .isEqualTo("/v1/x_method_GET_status_200");
    assertThat(AccessLog.clean("a\"b\rc\u2028d\u0000e")).isEqualTo("a_b_c_d_e");
    assertThat(AccessLog.clean("")).isEqualTo("-");
    assertThat(AccessLog.clean("m".repeat(1000))).hasSize(AccessLog.MAX_VALUE);
    assertThat(AccessLog.clean("gpt-4.1-mini")).isEqualTo("gpt-4.1-mini");
  }
}
