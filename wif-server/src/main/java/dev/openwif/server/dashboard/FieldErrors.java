package dev.openwif.server.dashboard;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validation messages of one form, keyed by field (the core's parameter names, e.g. {@code issuer}
 * or {@code attribute_transformations[0].expression}); a message not tied to a field is kept under
 * {@link #FORM}. Immutable.
 */
public record FieldErrors(Map<String, String> byField) {
  /** The key of a message about the whole form. */
  public static final String FORM = "";

  public static final FieldErrors NONE = new FieldErrors(Map.of());

  public FieldErrors {
    byField = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byField));
  }

  public static FieldErrors of(String field, String message) {
    return new FieldErrors(Map.of(field, message));
  }

  /** The message for {@code field}, or the empty string. */
  public String on(String field) {
    return byField.getOrDefault(field, "");
  }

  public boolean any() {
    return !byField.isEmpty();
  }

  /** Every message, in order (for the summary at the top of the form). */
  public Iterable<String> messages() {
    return byField.values();
  }
}
