package dev.openwif.cli.apply;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML document read into a Jackson tree that remembers the line of every value: what lets each
 * error name the line at fault. A duplicate key is refused (with its line). Immutable.
 *
 * @param source what names the document in errors (a path, or {@code -} for standard input)
 * @param root the document; an empty document is an empty mapping
 * @param lines the 1-based line of each value, by JSON pointer ({@code /providers/0/name})
 */
public record LocatedYaml(String source, JsonNode root, Map<String, Integer> lines) {
  private static final YAMLFactory YAML = YAMLFactory.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  public LocatedYaml {
    lines = Map.copyOf(lines);
  }

  /** Parses {@code text}; a syntax error is a {@link ConfigFileException} naming the line. */
  public static LocatedYaml parse(String source, String text) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser parser = YAML.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return new LocatedYaml(source, NODES.objectNode(), Map.of());
      }
      JsonNode root = read(parser, "", source, lines);
      return new LocatedYaml(source, root, lines);
    } catch (JacksonException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      String message = e.getOriginalMessage().lines().findFirst().orElse("cannot be parsed");
      throw new ConfigFileException(
          source + (line > 0 ? ":" + line : "") + ": not valid YAML: " + message);
    } catch (IOException e) {
      throw new ConfigFileException(source + ": cannot be read: " + e.getMessage());
    }
  }

  /** The line of the value at {@code pointer}, or of the nearest enclosing value that has one. */
  public int lineOf(String pointer) {
    String p = pointer;
    while (true) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      if (p.isEmpty()) {
        return 1;
      }
      p = p.substring(0, Math.max(0, p.lastIndexOf('/')));
    }
  }

  /** The one-line error for the value at {@code pointer}: {@code SOURCE:LINE: field F: message}. */
  public ConfigFileException error(String pointer, String message) {
    return new ConfigFileException(line(pointer, message));
  }

  /** The text of {@link #error(String, String)}. */
  public String line(String pointer, String message) {
    return source + ":" + lineOf(pointer) + ": field " + fieldName(pointer) + ": " + message;
  }

  /** {@code /providers/0/rules/1/name} as {@code providers[0].rules[1].name}. */
  public static String fieldName(String pointer) {
    StringBuilder out = new StringBuilder();
    for (String part : pointer.substring(Math.min(1, pointer.length())).split("/", -1)) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.chars().allMatch(Character::isDigit)) {
        out.append('[').append(part).append(']');
      } else {
        out.append(out.isEmpty() ? "" : ".").append(part.replace("~1", "/").replace("~0", "~"));
      }
    }
    return out.isEmpty() ? "(document)" : out.toString();
  }

  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static JsonNode read(
      JsonParser parser, String pointer, String source, Map<String, Integer> lines)
      throws IOException {
    lines.put(pointer, parser.currentTokenLocation().getLineNr());
    JsonToken token = parser.currentToken();
    return switch (token) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          int keyLine = parser.currentTokenLocation().getLineNr();
          String child = pointer + "/" + escape(key);
          if (object.has(key)) {
            throw new ConfigFileException(
                source + ":" + keyLine + ": field " + fieldName(child) + ": given twice");
          }
          parser.nextToken();
          object.set(key, read(parser, child, source, lines));
          lines.put(child, keyLine);
        }
        yield object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(read(parser, pointer + "/" + array.size(), source, lines));
        }
        yield array;
      }
      case VALUE_STRING -> NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT -> NODES.numberNode(parser.getBigIntegerValue());
      case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDecimalValue());
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      default ->
          throw new ConfigFileException(
              source
                  + ":"
                  + parser.currentTokenLocation().getLineNr()
                  + ": unexpected YAML: "
                  + token);
    };
  }
}
