package dev.openwif.cli.apply;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The admin API calls plan, apply and export make, relative to {@code /v1/organization}. A refusal
 * or an unreachable server is an unchecked exception of the implementation, with a one-line
 * message.
 */
public interface AdminCalls {
  JsonNode get(String path);

  JsonNode post(String path, JsonNode body);

  JsonNode delete(String path);

  /**
   * The request field a refusal names ({@code attribute_transformations[0].expression}), when
   * {@code refusal} is the server's refusal of a call and it names one.
   */
  default java.util.Optional<String> refusedField(RuntimeException refusal) {
    return java.util.Optional.empty();
  }
}
