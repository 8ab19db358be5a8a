package dev.openwif.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class DemoConsoleTest {
  private final StringWriter out = new StringWriter();
  private final DemoConsole console =
      new DemoConsole(new PrintWriter(out, true), new ObjectMapper());

  @Test
  void fieldWhenValueIsLongThenWrapsAtSpacesUnderTheValueColumnWithinEightyColumns() {
    console.field(
        "detail",
        "rule wifr_1: sub was 'system:serviceaccount:other:intruder', expected "
            + "'system:serviceaccount:default:openai-wif'");

    assertThat(out.toString().lines().toList())
        .containsExactly(
            "    detail         rule wifr_1: sub was 'system:serviceaccount:other:intruder',",
            "                   expected 'system:serviceaccount:default:openai-wif'");
  }

  @Test
  void fieldWhenOneWordIsWiderThanTheRoomThenItIsCut() {
    console.field("x", "a".repeat(100));

    assertThat(out.toString().lines().toList())
        .containsExactly(
            "    x              " + "a".repeat(61), "                   " + "a".repeat(39));
  }

  @Test
  void sectionWhenPrintedThenHeadingIsPaddedToEightyColumns() {
    console.section("2. Google workload identity");

    assertThat(out.toString().lines().toList().get(1))
        .hasSize(80)
        .startsWith("== 2. Google workload identity ===");
  }

  @Test
  void prefixWhenSecretIsLongThenShowsTwelveCharactersAndAnEllipsisOnly() {
    assertThat(DemoConsole.prefix("eyJhbGciOiJSUzI1NiJ9.payload.signature"))
        .isEqualTo("eyJhbGciOiJS…");
    assertThat(DemoConsole.prefix("short")).isEqualTo("…");
  }

  @Test
  void checkWhenConditionFailsThenThrowsWithTheExpectation() {
    console.check(true, "never shown");

    assertThatThrownBy(() -> console.check(false, "sub should be x, it is y"))
        .isInstanceOf(DemoFailure.class)
        .hasMessage("sub should be x, it is y");
  }
}
