package dev.openwif.server.dashboard;

import java.util.Objects;

/** A form value the dashboard itself refuses before the core sees it, naming the field. */
final class FormException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String field;
  private final String message;

  FormException(String field, String message) {
    super(Objects.requireNonNull(message, "message"), null, false, false);
    this.field = Objects.requireNonNull(field, "field");
    this.message = message;
  }

  String message() {
    return message;
  }

  String field() {
    return field;
  }
}
