package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResponsesInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Arguments> inputs() {
    return Stream.of(
        Arguments.of("plain string", "\"Say hi\"", Optional.of("Say hi")),
        Arguments.of(
            "message with string content",
            "[{\"role\":\"user\",\"content\":\"hello\"}]",
            Optional.of("hello")),
        Arguments.of(
            "message with input_text parts",
            "[{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"a\"},"
                + "{\"type\":\"input_image\",\"image_url\":\"x\"},{\"type\":\"input_text\",\"text\":\"b\"}]}]",
            Optional.of("a b")),
        Arguments.of(
            "last user message wins",
            "[{\"role\":\"user\",\"content\":\"first\"},{\"role\":\"assistant\",\"content\":\"x\"},"
                + "{\"role\":\"user\",\"content\":\"second\"}]",
            Optional.of("second")),
        Arguments.of(
            "only system text", "[{\"role\":\"system\",\"content\":\"rules\"}]", Optional.empty()),
        Arguments.of("number", "42", Optional.empty()),
        Arguments.of("object", "{\"text\":\"x\"}", Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void textWhenInputShapeThenExpectedText(String name, String json, Optional<String> expected)
      throws Exception {
    assertThat(ResponsesInput.text(JSON.readTree(json))).isEqualTo(expected);
  }

  @Test
  void textWhenAbsentThenEmpty() {
    assertThat(ResponsesInput.text(null)).isEmpty();
  }
}
