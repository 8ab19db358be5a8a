package dev.openwif.federation;

import java.util.Objects;

/**
 * One attribute transformation of a provider: {@code attribute} (without the {@code openai.}
 * prefix) is set to the result of the CEL {@code expression} evaluated over {@code assertion} (the
 * subject token's claims).
 */
public record AttributeTransformation(String attribute, String expression) {
  public AttributeTransformation {
    Objects.requireNonNull(attribute, "attribute");
    Objects.requireNonNull(expression, "expression");
  }
}
