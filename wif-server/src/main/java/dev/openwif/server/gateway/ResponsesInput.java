package dev.openwif.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Extracts the text the demo model answers from a Responses API {@code input}: either a plain
 * string, or a list of input items whose last {@code user} message gives the text ({@code content}
 * a string, or a list of {@code input_text} parts joined with a space). Empty when there is no such
 * text. Stateless.
 */
final class ResponsesInput {
  private ResponsesInput() {}

  static Optional<String> text(JsonNode input) {
    if (input == null) {
      return Optional.empty();
    }
    if (input.isTextual()) {
      return Optional.of(input.textValue());
    }
    if (!input.isArray()) {
      return Optional.empty();
    }
    Optional<String> last = Optional.empty();
    for (JsonNode item : input) {
      if (item.isObject() && "user".equals(item.path("role").asText(""))) {
        Optional<String> text = contentText(item.get("content"));
        if (text.isPresent()) {
          last = text;
        }
      }
    }
    return last;
  }

  private static Optional<String> contentText(JsonNode content) {
    if (content == null) {
      return Optional.empty();
    }
    if (content.isTextual()) {
      return Optional.of(content.textValue());
    }
    if (!content.isArray()) {
      return Optional.empty();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if ("input_text".equals(part.path("type").asText("")) && part.path("text").isTextual()) {
        if (!text.isEmpty()) {
          text.append(' ');
        }
        text.append(part.path("text").textValue());
      }
    }
    return text.isEmpty() ? Optional.empty() : Optional.of(text.toString());
  }
}
