package dev.openwif.server.admin;

import java.util.Optional;

/**
 * A request the HTTP layer cannot turn into a use-case call: malformed JSON, a wrong JSON type, an
 * unknown field, a bad query parameter. Answered as 400 {@code invalid_request_error} naming {@code
 * param}.
 */
final class BadRequestException extends RuntimeException {
  private final String message;

  private final Optional<String> param;

  BadRequestException(Optional<String> param, String message) {
    super(message, null, false, false);
    this.message = message;
    this.param = param;
  }

  static BadRequestException field(String param, String message) {
    return new BadRequestException(Optional.of(param), message);
  }

  Optional<String> param() {
    return param;
  }

  /** The message given at construction, never null. */
  @Override
  public final String getMessage() {
    return message;
  }
}
