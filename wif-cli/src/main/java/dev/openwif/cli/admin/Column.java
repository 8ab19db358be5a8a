package dev.openwif.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.function.Function;

/**
 * One column of a table of admin objects: its heading and how a cell is read from an object.
 * Missing and null values show as {@code -}.
 */
public record Column(String heading, Function<JsonNode, String> cell) {
  static final String NONE = "-";

  /** How a missing value shows. */
  public static final String NONE_TEXT = NONE;

  /** The value at {@code path} (members separated by dots), as text. */
  public static Column of(String heading, String path) {
    return new Column(heading, node -> text(at(node, path)));
  }

  /** A Unix time in seconds at {@code path}, shown as an ISO-8601 UTC instant. */
  public static Column time(String heading, String path) {
    return new Column(
        heading,
        node -> {
          JsonNode value = at(node, path);
          return value.canConvertToLong()
              ? Instant.ofEpochSecond(value.asLong()).toString()
              : text(value);
        });
  }

  /** The member at {@code path} (dot-separated), or a missing node. */
  public static JsonNode at(JsonNode node, String path) {
    JsonNode current = node;
    for (String member : path.split("\\.", -1)) {
      current = current.path(member);
    }
    return current;
  }

  /** A scalar as its text, anything else as compact JSON; null and missing as {@code -}. */
  public static String text(JsonNode value) {
    if (value.isMissingNode() || value.isNull()) {
      return NONE;
    }
    String text = value.isValueNode() ? value.asText() : value.toString();
    // one cell stays on one line: control characters would break the table
    return text.isEmpty() ? "\"\"" : text.replaceAll("\\p{Cntrl}", " ");
  }
}
