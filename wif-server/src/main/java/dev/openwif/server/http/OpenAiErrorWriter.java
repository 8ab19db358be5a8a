package dev.openwif.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;

/**
 * Writes errors in OpenAI's API shape, {@code {"error": {"message", "type", "param", "code"}}},
 * with {@code Content-Type: application/json}. Used by the admin API and the {@code /v1} gateway
 * (never by {@code /oauth/token}, whose errors are RFC 6749 §5.2 shaped). Messages must never
 * contain a secret. Thread-safe.
 */
public final class OpenAiErrorWriter {
  /** Error {@code type} for a request the client must fix (400, 404, 409, 413). */
  public static final String INVALID_REQUEST = "invalid_request_error";

  private final ObjectMapper json;

  public OpenAiErrorWriter(ObjectMapper json) {
    this.json = json;
  }

  /**
   * Writes {@code status} with the error body; {@code param} and {@code code} are {@code null} when
   * empty.
   */
  public void write(
      ServerResponse res,
      int status,
      String type,
      String message,
      Optional<String> param,
      Optional<String> code) {
    ObjectNode error = json.createObjectNode();
    error.put("message", message);
    error.put("type", type);
    error.put("param", param.orElse(null));
    error.put("code", code.orElse(null));
    ObjectNode body = json.createObjectNode();
    body.set("error", error);
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    try {
      res.send(json.writeValueAsBytes(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise an error body", e);
    }
  }

  /** 400 {@code invalid_request_error} naming the offending field. */
  public void badRequest(ServerResponse res, String message, Optional<String> param) {
    write(res, 400, INVALID_REQUEST, message, param, Optional.empty());
  }

  /**
   * 401 for a missing or unknown credential; {@code code} is {@code invalid_api_key} like OpenAI's.
   */
  public void unauthorized(ServerResponse res, String message) {
    write(res, 401, INVALID_REQUEST, message, Optional.empty(), Optional.of("invalid_api_key"));
  }

  /** 404 for an unknown object. */
  public void notFound(ServerResponse res, String message) {
    write(res, 404, INVALID_REQUEST, message, Optional.empty(), Optional.empty());
  }

  /**
   * 409 for a refused change; carries {@code x-should-retry: false} because the SDKs otherwise
   * retry 409 (docs/wire-protocol.md, "What the SDKs depend on").
   */
  public void conflict(ServerResponse res, String message, Optional<String> param) {
    res.header("x-should-retry", "false");
    write(res, 409, INVALID_REQUEST, message, param, Optional.empty());
  }

  /**
   * 412 for a conditional change ({@code If-Match}) refused because the object changed; {@code
   * code} is {@code precondition_failed}. Carries {@code x-should-retry: false}: the same request
   * cannot succeed, the client must read the object again.
   */
  public void preconditionFailed(ServerResponse res, String message) {
    res.header("x-should-retry", "false");
    write(
        res,
        412,
        INVALID_REQUEST,
        message,
        Optional.of("If-Match"),
        Optional.of("precondition_failed"));
  }

  /** 413 for a body over the limit. */
  public void payloadTooLarge(ServerResponse res, long limitBytes) {
    res.header("x-should-retry", "false");
    write(
        res,
        413,
        INVALID_REQUEST,
        "Request body is larger than " + limitBytes + " bytes.",
        Optional.empty(),
        Optional.of("payload_too_large"));
  }

  /** 500 with no detail (the cause goes to the log, never to the client). */
  public void internalError(ServerResponse res) {
    write(
        res,
        500,
        "server_error",
        "The server had an error while processing your request.",
        Optional.empty(),
        Optional.empty());
  }
}
