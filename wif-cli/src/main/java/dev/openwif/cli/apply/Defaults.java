package dev.openwif.cli.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The value a field has when neither the file nor the server says otherwise (the admin API's own
 * defaults), and the canonical form both sides are put in before they are compared. Stateless.
 */
public final class Defaults {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Map<String, JsonNode> COMMON =
      Map.of(
          "enabled", BooleanNode.TRUE,
          "managed", BooleanNode.TRUE,
          "replay_protection", BooleanNode.FALSE,
          "clamp_to_subject_token_expiry", BooleanNode.FALSE,
          "attribute_transformations", NODES.arrayNode(),
          "rate_limits", NODES.objectNode());

  private Defaults() {}

  /**
   * The default of {@code field} for {@code kind}; empty when it has none (it is then optional).
   */
  public static Optional<JsonNode> of(Kind kind, String field) {
    return switch (field) {
      case "verification" -> Optional.of(NODES.objectNode().put("type", "discovery"));
      case "permissions" -> Optional.of(NODES.objectNode().put("type", "service_account_default"));
      default -> Optional.ofNullable(COMMON.get(field)).map(JsonNode::deepCopy);
    };
  }

  /**
   * {@code fields} in canonical form: numbers as {@code long} when whole, stripped decimals
   * otherwise, nulls inside objects dropped, and fields equal to their default removed.
   */
  public static ObjectNode canonical(Kind kind, ObjectNode fields) {
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> field : fields.properties()) {
      JsonNode value = canonical(field.getValue());
      if (field.getKey().equals("permissions") && value.path("scopes").isArray()) {
        value = sortedScopes((ObjectNode) value);
      }
      if (value.isNull() || of(kind, field.getKey()).filter(value::equals).isPresent()) {
        continue;
      }
      out.set(field.getKey(), value);
    }
    return out;
  }

  /** Restricted permissions with their scopes sorted: a set, whatever order either side lists. */
  private static ObjectNode sortedScopes(ObjectNode permissions) {
    List<String> scopes = new ArrayList<>();
    permissions.get("scopes").forEach(s -> scopes.add(s.asText()));
    Collections.sort(scopes);
    ObjectNode out = permissions.deepCopy();
    ArrayNode sorted = out.putArray("scopes");
    scopes.forEach(sorted::add);
    return out;
  }

  /** One value in canonical form (see {@link #canonical(Kind, ObjectNode)}). */
  public static JsonNode canonical(JsonNode value) {
    if (value.isNumber()) {
      BigDecimal number = value.decimalValue().stripTrailingZeros();
      if (number.scale() <= 0 && number.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
        return LongNode.valueOf(number.longValueExact());
      }
      return DecimalNode.valueOf(number);
    }
    if (value.isObject()) {
      ObjectNode out = NODES.objectNode();
      value
          .properties()
          .forEach(
              e -> {
                if (!e.getValue().isNull()) {
                  out.set(e.getKey(), canonical(e.getValue()));
                }
              });
      return out;
    }
    if (value.isArray()) {
      ArrayNode out = NODES.arrayNode();
      value.forEach(item -> out.add(canonical(item)));
      return out;
    }
    return value.deepCopy();
  }
}
