package dev.openwif.cli.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * One field that differs: its value on the server and its value in the file, each with the field's
 * default applied (empty when the field has no default and is not set).
 */
public record FieldChange(String field, Optional<JsonNode> before, Optional<JsonNode> after) {
  public FieldChange {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
  }
}
