package dev.openwif.cli.admin;

import java.util.Optional;

/**
 * The admin API refused a request: an answer other than 2xx. Carries the HTTP status and the
 * server's own message (the {@code error.message} of its OpenAI-shaped error body, or a short
 * description when the body is not one), and the error's {@code code} and {@code param} when the
 * server gave them. {@link #getMessage()} is the server's message, fit for one error line.
 */
public final class AdminApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final Optional<String> code;
  private final Optional<String> param;

  public AdminApiException(
      int status, String message, Optional<String> code, Optional<String> param) {
    super(message);
    this.status = status;
    this.code = code;
    this.param = param;
  }

  /** The HTTP status of the refusal (4xx or 5xx, or an unexpected 1xx/3xx). */
  public int status() {
    return status;
  }

  /** The server's message, as {@link #getMessage()}. */
  public String serverMessage() {
    String message = getMessage();
    return message == null ? "" : message;
  }

  /** The error's {@code code} ({@code invalid_api_key}, ...), when the server gave one. */
  public Optional<String> code() {
    return code;
  }

  /** The request field the error names ({@code error.param}), when the server gave one. */
  public Optional<String> param() {
    return param;
  }
}
