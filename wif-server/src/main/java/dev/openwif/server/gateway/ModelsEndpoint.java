package dev.openwif.server.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.server.http.OpenAiErrorWriter;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Objects;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}} in OpenAI's shape: a list {@code
 * {"object": "list", "data": [...]}} of {@code {"id", "object": "model", "created", "owned_by"}}
 * (all four are required by the Java SDK). Only the built-in {@link DemoModel} is listed.
 * Thread-safe.
 */
final class ModelsEndpoint {
  private final ObjectMapper json;
  private final OpenAiErrorWriter errors;

  ModelsEndpoint(ObjectMapper json, OpenAiErrorWriter errors) {
    this.json = Objects.requireNonNull(json, "json");
    this.errors = Objects.requireNonNull(errors, "errors");
  }

  void list(ServerRequest req, ServerResponse res) {
    ObjectNode body = json.createObjectNode();
    body.put("object", "list");
    body.putArray("data").add(model());
    send(res, body);
  }

  void retrieve(ServerRequest req, ServerResponse res) {
    String id = req.path().pathParameters().get("id");
    if (!id.equals(DemoModel.ID)) {
      errors.write(
          res,
          404,
          OpenAiErrorWriter.INVALID_REQUEST,
          "The model '"
              + (id.length() > 100 ? id.substring(0, 100) + "..." : id)
              + "' does not exist.",
          java.util.Optional.of("model"),
          java.util.Optional.of("model_not_found"));
      return;
    }
    send(res, model());
  }

  private ObjectNode model() {
    ObjectNode model = json.createObjectNode();
    model.put("id", DemoModel.ID);
    model.put("object", "model");
    model.put("created", DemoModel.CREATED);
    model.put("owned_by", DemoModel.OWNED_BY);
    return model;
  }

  private void send(ServerResponse res, ObjectNode body) {
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    try {
      res.send(json.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise models", e);
    }
  }
}
