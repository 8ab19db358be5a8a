package dev.openwif.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Typed, strict reads from one JSON object of an admin request. Every problem names the field with
 * its path ({@code verification.jwks}, {@code attribute_transformations[1].expression}): unknown
 * members, wrong JSON types, a required member missing, or {@code null} where it is not allowed.
 * Not thread-safe (one per request).
 */
final class JsonFields {
  private final ObjectNode node;
  private final String path;

  JsonFields(ObjectNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /** The object at {@code value}, or a 400 naming {@code param} when it is not an object. */
  static JsonFields object(JsonNode value, String param) {
    if (!(value instanceof ObjectNode object)) {
      throw BadRequestException.field(
          param, (param.isEmpty() ? "The request body" : param) + " must be a JSON object.");
    }
    return new JsonFields(object, param);
  }

  String param(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** Refuses any member not in {@code allowed}, naming the first unknown one. */
  JsonFields allowOnly(Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw BadRequestException.field(
            param(name), "Unrecognized request argument supplied: " + param(name) + ".");
      }
    }
    return this;
  }

  boolean has(String name) {
    return node.has(name);
  }

  boolean isNull(String name) {
    return node.has(name) && node.get(name).isNull();
  }

  String requiredString(String name) {
    return optionalString(name).orElseThrow(() -> missing(name));
  }

  /** Absent means empty; {@code null} is refused. */
  Optional<String> optionalString(String name) {
    if (!node.has(name)) {
      return Optional.empty();
    }
    JsonNode v = node.get(name);
    if (!v.isTextual()) {
      throw wrongType(name, "a string");
    }
    return Optional.of(v.textValue());
  }

  /**
   * Absent means empty (keep); {@code null} means {@code Optional.of(Optional.empty())} (clear).
   */
  // Error Prone's OptionalMapToOptional is wrong here: the nested Optional is the point (absent, or
  // present-and-cleared, or present-with-a-value).
  @SuppressWarnings("OptionalMapToOptional")
  Optional<Optional<String>> nullableString(String name) {
    if (isNull(name)) {
      return Optional.of(Optional.empty());
    }
    return optionalString(name).map(Optional::of);
  }

  /**
   * A whole number: absent means empty (keep); {@code null} means {@code
   * Optional.of(OptionalLong.empty())} (clear). Fractions, strings and numbers beyond a 64-bit
   * integer are refused.
   */
  Optional<OptionalLong> nullableWholeNumber(String name) {
    if (!node.has(name)) {
      return Optional.empty();
    }
    JsonNode v = node.get(name);
    if (v.isNull()) {
      return Optional.of(OptionalLong.empty());
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw wrongType(name, "a whole number or null");
    }
    return Optional.of(OptionalLong.of(v.longValue()));
  }

  Optional<Boolean> optionalBoolean(String name) {
    if (!node.has(name)) {
      return Optional.empty();
    }
    JsonNode v = node.get(name);
    if (!v.isBoolean()) {
      throw wrongType(name, "a boolean");
    }
    return Optional.of(v.booleanValue());
  }

  Optional<JsonFields> optionalObject(String name) {
    if (!node.has(name)) {
      return Optional.empty();
    }
    return Optional.of(object(node.get(name), param(name)));
  }

  JsonFields requiredObject(String name) {
    return optionalObject(name).orElseThrow(() -> missing(name));
  }

  /** The raw object node (for the uploaded JWKS, kept as JSON text). */
  ObjectNode raw() {
    return node;
  }

  Optional<List<JsonNode>> optionalArray(String name) {
    if (!node.has(name)) {
      return Optional.empty();
    }
    JsonNode v = node.get(name);
    if (!v.isArray()) {
      throw wrongType(name, "an array");
    }
    List<JsonNode> items = new ArrayList<>(v.size());
    v.forEach(items::add);
    return Optional.of(items);
  }

  Optional<List<String>> optionalStringArray(String name) {
    return optionalArray(name)
        .map(
            items -> {
              List<String> out = new ArrayList<>(items.size());
              for (int i = 0; i < items.size(); i++) {
                if (!items.get(i).isTextual()) {
                  throw BadRequestException.field(
                      param(name) + "[" + i + "]", param(name) + "[" + i + "] must be a string.");
                }
                out.add(items.get(i).textValue());
              }
              return out;
            });
  }

  /** An object of scalar values: strings, booleans and numbers (as {@link BigDecimal}). */
  Optional<Map<String, Object>> optionalScalarMap(String name) {
    return optionalObject(name)
        .map(
            fields -> {
              Map<String, Object> out = new LinkedHashMap<>();
              fields
                  .node
                  .properties()
                  .forEach(
                      e -> {
                        JsonNode v = e.getValue();
                        String at = fields.param(e.getKey());
                        if (v.isTextual()) {
                          out.put(e.getKey(), v.textValue());
                        } else if (v.isBoolean()) {
                          out.put(e.getKey(), v.booleanValue());
                        } else if (v.isNumber()) {
                          out.put(e.getKey(), v.decimalValue());
                        } else {
                          throw BadRequestException.field(
                              at, at + " must be a string, boolean or number.");
                        }
                      });
              return out;
            });
  }

  private BadRequestException missing(String name) {
    return BadRequestException.field(
        param(name), "Missing required parameter: '" + param(name) + "'.");
  }

  private BadRequestException wrongType(String name, String expected) {
    return BadRequestException.field(param(name), param(name) + " must be " + expected + ".");
  }
}
