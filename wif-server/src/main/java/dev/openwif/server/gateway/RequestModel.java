package dev.openwif.server.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Optional;

/**
 * The top-level {@code "model"} of a JSON request body, for per-model routing. The whole body is
 * parsed: it must be one JSON object, without duplicate member names at any level (two {@code
 * "model"} members could be read differently here and upstream). Thread-safe (stateless).
 */
final class RequestModel {
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  /** What the body says. */
  sealed interface Found {}

  /** A string {@code "model"}. */
  record Named(String model) implements Found {}

  /** A JSON object without a string {@code "model"} (it goes to the default upstream). */
  record Unnamed() implements Found {}

  /** Not one JSON object, or with a duplicate member. */
  record Malformed() implements Found {}

  private RequestModel() {}

  static Found of(byte[] body) {
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return new Malformed();
      }
      Optional<String> model = Optional.empty();
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("model".equals(name) && value == JsonToken.VALUE_STRING) {
          model = Optional.of(parser.getText());
        } else {
          parser.skipChildren();
        }
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        return new Malformed();
      }
      return model.<Found>map(Named::new).orElseGet(Unnamed::new);
    } catch (IOException e) {
      return new Malformed();
    }
  }
}
