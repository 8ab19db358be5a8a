package dev.openwif.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code --config} file: a YAML mapping from flag names without their dashes to values, for
 * example {@code port: 8080}. A value is a scalar, or a list of scalars for a repeatable flag.
 * Parsing checks the shape only; which keys exist and what type each value must have is the
 * command's to say ({@link ConfigSources}). Immutable.
 *
 * @param path the file, as given (it names the file in every error)
 * @param values each key's values, in the file's order; a scalar is a list of one
 */
record ConfigFile(Path path, Map<String, List<String>> values) {
  private static final YAMLMapper YAML =
      YAMLMapper.builder(YAMLFactory.builder().build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  ConfigFile {
    values = Map.copyOf(values);
  }

  /**
   * Reads and parses {@code path}.
   *
   * @throws IllegalArgumentException one line naming the file and, when one is at fault, the key: a
   *     missing or unreadable file, YAML that does not parse, a document that is not a mapping, a
   *     key whose value is a mapping or a list holding one
   */
  static ConfigFile read(Path path) {
    String text;
    try {
      text = Files.readString(path);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--config " + path + ": no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException("--config " + path + ": cannot read it: " + e);
    }
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          path
              + ": not valid YAML: "
              + e.getOriginalMessage().lines().findFirst().orElse("")
              + where(e));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return new ConfigFile(path, Map.of());
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException(
          path + ": expected a mapping of flag names to values, for example 'port: 8080'");
    }
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      values.put(field.getKey(), scalars(path, field.getKey(), field.getValue()));
    }
    return new ConfigFile(path, values);
  }

  private static List<String> scalars(Path path, String key, JsonNode node) {
    if (node.isArray()) {
      List<String> list = new ArrayList<>();
      for (JsonNode element : node) {
        if (!element.isValueNode() || element.isNull()) {
          throw new IllegalArgumentException(
              path + ": " + key + ": a list may hold plain values only");
        }
        list.add(element.asText());
      }
      return list;
    }
    if (node.isNull()) {
      throw new IllegalArgumentException(
          path + ": " + key + ": has no value (remove the key to use the default)");
    }
    if (!node.isValueNode()) {
      throw new IllegalArgumentException(
          path + ": " + key + ": expected a value, found a nested mapping");
    }
    return List.of(node.asText());
  }

  private static String where(JacksonException e) {
    var location = e.getLocation();
    return location == null || location.getLineNr() < 1
        ? ""
        : " (line " + location.getLineNr() + ")";
  }
}
