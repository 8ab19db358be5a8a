package dev.openwif.cli.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * One object as the file wants it or as the server has it, in one canonical form so that the two
 * compare field by field: {@code fields} holds only the fields whose value is not the kind's
 * default (see {@link Defaults}), numbers as {@code long} or stripped decimals, references by name
 * (a rule's {@code project} and {@code service_account}). {@code managed} is a field of providers
 * and rules (absent means true). Immutable: the fields are copied.
 *
 * @param pointer where the object is in the file (JSON pointer), for errors; empty on the server's
 *     side
 */
public record Resource(Address address, ObjectNode fields, Optional<String> pointer) {
  public Resource {
    Objects.requireNonNull(address, "address");
    fields = fields.deepCopy();
    Objects.requireNonNull(pointer, "pointer");
    for (String name : (Iterable<String>) fields::fieldNames) {
      if (!address.kind().fields().contains(name)) {
        throw new IllegalArgumentException(address + " has no field " + name);
      }
    }
  }

  public Kind kind() {
    return address.kind();
  }

  /** The field's value, or its default when the field is absent; empty when it has neither. */
  public Optional<JsonNode> value(String field) {
    JsonNode value = fields.get(field);
    return value != null ? Optional.of(value) : Defaults.of(kind(), field);
  }

  /**
   * True unless the object says {@code managed: false} (projects and accounts are never marked).
   */
  public boolean managed() {
    return kind().markable() && value("managed").map(JsonNode::asBoolean).orElse(true);
  }

  @Override
  public ObjectNode fields() {
    return fields.deepCopy();
  }
}
