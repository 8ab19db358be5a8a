package dev.openwif.cli.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The body of a create or update: the object in {@code -f FILE} (JSON, or YAML when the name ends
 * in {@code .yaml} or {@code .yml}), or an empty object; the command's field options then set their
 * members over it. Field names and types are the admin API's; the server checks them and names any
 * it refuses.
 */
public final class RequestBody {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private RequestBody() {}

  /**
   * The object in {@code file}, or a new empty object.
   *
   * @throws IllegalArgumentException naming the file when it is missing, unreadable, not JSON or
   *     YAML, or not an object
   */
  public static ObjectNode from(Optional<Path> file) {
    if (file.isEmpty()) {
      return JSON.createObjectNode();
    }
    Path path = file.get();
    String text;
    try {
      text = Files.readString(path);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("-f " + path + ": no such file", e);
    } catch (MalformedInputException e) {
      throw new IllegalArgumentException("-f " + path + ": not UTF-8 text", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("-f " + path + ": cannot read it (" + e + ")", e);
    }
    String name = path.getFileName() == null ? "" : path.getFileName().toString();
    boolean yaml = name.toLowerCase(Locale.ROOT).matches(".*\\.ya?ml");
    JsonNode node;
    try {
      node = (yaml ? YAML : JSON).readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "-f "
              + path
              + ": not valid "
              + (yaml ? "YAML" : "JSON")
              + " ("
              + e.getOriginalMessage()
              + line(e)
              + ")",
          e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(
          "-f " + path + ": must hold one " + (yaml ? "mapping" : "JSON object") + " (the body)");
    }
    return (ObjectNode) node;
  }

  private static String line(JsonProcessingException e) {
    var location = e.getLocation();
    return location == null ? "" : ", line " + location.getLineNr();
  }
}
