package dev.openwif.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrictJsonTest {
  @Test
  void parseObjectWhenValidThenPlainJavaValues() throws Exception {
    Map<String, Object> parsed =
        StrictJson.parseObject(
            " {\"s\":\"a\\u00e9\\n\",\"i\":-12,\"l\":9223372036854775807,\"big\":9223372036854775808,\"d\":1.5e2,"
                + "\"t\":true,\"f\":false,\"n\":null,\"a\":[1,[2]],\"o\":{\"x\":{}}} ");
    assertThat(parsed)
        .containsEntry("s", "aé\n")
        .containsEntry("i", -12L)
        .containsEntry("l", Long.MAX_VALUE)
        .containsEntry("big", new BigDecimal("9223372036854775808"))
        .containsEntry("d", new BigDecimal("1.5e2"))
        .containsEntry("t", true)
        .containsEntry("f", false)
        .containsEntry("n", StrictJson.NULL)
        .containsEntry("a", List.of(1L, List.of(2L)))
        .containsEntry("o", Map.of("x", Map.of()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "empty|''",
        "unterminated object|{\"a\":1",
        "trailing comma|{\"a\":1,}",
        "single quotes|{'a':1}",
        "leading zero|{\"a\":01}",
        "plus sign|{\"a\":+1}",
        "bare dot|{\"a\":1.}",
        "NaN|{\"a\":NaN}",
        "control char in string|{\"a\":\"\u0001\"}",
        "bad escape|{\"a\":\"\\x\"}",
        "two documents|{}{}",
        "unquoted name|{a:1}"
      })
  void parseObjectWhenMalformedThenRefused(String name, String text) {
    assertThatThrownBy(() -> StrictJson.parseObject(text))
        .isInstanceOf(StrictJson.MalformedJsonException.class);
  }

  @Test
  void parseObjectWhenNestedTooDeepThenRefused() {
    String deep = "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}";
    assertThatThrownBy(() -> StrictJson.parseObject(deep))
        .isInstanceOf(StrictJson.MalformedJsonException.class);
  }

  @Test
  void parseObjectWhenMemberRepeatedThenDuplicateNamed() {
    assertThatThrownBy(() -> StrictJson.parseObject("{\"sub\":\"a\",\"s\\u0075b\":\"b\"}"))
        .isInstanceOfSatisfying(
            StrictJson.DuplicateMemberException.class,
            e -> assertThat(e.member()).isEqualTo("sub"));
  }
}
