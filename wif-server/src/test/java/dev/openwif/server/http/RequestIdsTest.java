package dev.openwif.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdsTest {
  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"abc-123", "req_01HXYZ.7:1", "a"})
  void idOfWhenHeaderIsPlainThenItIsTheId(String header) {
    assertThat(RequestIds.idOf(Optional.of(header))).isEqualTo(header);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "",
        "has space",
        "line\nbreak",
        "quote\"",
        "key=value",
        "0123456789012345678901234567890123456789012345678901234567890123456789"
      })
  void idOfWhenHeaderCouldForgeALogLineThenARandomIdInstead(String header) {
    assertThat(RequestIds.idOf(Optional.of(header))).matches("[0-9a-f]{16}");
  }

  @org.junit.jupiter.api.Test
  void idOfWhenNoHeaderThenRandomIdsDiffer() {
    assertThat(RequestIds.idOf(Optional.empty()))
        .matches("[0-9a-f]{16}")
        .isNotEqualTo(RequestIds.idOf(Optional.empty()));
  }
}
