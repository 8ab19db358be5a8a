package dev.openwif.cli.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The admin API calls plan, apply and export make, relative to {@code /v1/organization}. A refusal
 * or an unreachable server is an unchecked exception of the implementation, with a one-line
 * message.
 */
public interface AdminCalls {
  /** An object as the server answered it, with its entity tag ({@code ETag}) when it gave one. */
  record Read(JsonNode body, Optional<String> etag) {}

  /** {@code GET}, keeping the answer's {@code ETag}. */
  Read read(String path);

  /** {@code GET}: the answer's body. */
  default JsonNode get(String path) {
    return read(path).body();
  }

  /**
   * {@code POST} (a creation, or an update of the object at {@code path}); with {@code ifMatch},
   * applied only while the object still has that entity tag.
   */
  JsonNode post(String path, JsonNode body, Optional<String> ifMatch);

  /** {@code DELETE}; with {@code ifMatch}, only while the object still has that entity tag. */
  JsonNode delete(String path, Optional<String> ifMatch);

  /**
   * The request field a refusal names ({@code attribute_transformations[0].expression}), when
   * {@code refusal} is the server's refusal of a call and it names one.
   */
  default Optional<String> refusedField(RuntimeException refusal) {
    return Optional.empty();
  }

  /**
   * Whether {@code refusal} is the server's answer that the object no longer has the entity tag a
   * call named ({@code 412 Precondition Failed}).
   */
  default boolean changedMeanwhile(RuntimeException refusal) {
    return false;
  }

  /** Whether {@code refusal} is the server's answer that there is no such object ({@code 404}). */
  default boolean notFound(RuntimeException refusal) {
    return false;
  }
}
