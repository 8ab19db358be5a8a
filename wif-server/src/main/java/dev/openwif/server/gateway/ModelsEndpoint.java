package dev.openwif.server.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.server.http.OpenAiErrorWriter;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
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
  private static final Header JSON_TYPE =
      HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "application/json");

  private final OpenAiErrorWriter errors;
  // the answers never change: serialised once (a list call is the gateway's cheapest request)
  private final byte[] listBody;
  private final byte[] modelBody;

  ModelsEndpoint(ObjectMapper json, OpenAiErrorWriter errors) {
    this.errors = Objects.requireNonNull(errors, "errors");
    ObjectNode list = json.createObjectNode();
    list.put("object", "list");
    list.putArray("data").add(model(json));
    try {
      this.listBody = json.writeValueAsBytes(list);
      this.modelBody = json.writeValueAsBytes(model(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise models", e);
    }
  }

  void list(ServerRequest req, ServerResponse res) {
    send(res, listBody);
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
    send(res, modelBody);
  }

  private static ObjectNode model(ObjectMapper json) {
    ObjectNode model = json.createObjectNode();
    model.put("id", DemoModel.ID);
    model.put("object", "model");
    model.put("created", DemoModel.CREATED);
    model.put("owned_by", DemoModel.OWNED_BY);
    return model;
  }

  private static void send(ServerResponse res, byte[] body) {
    res.header(JSON_TYPE);
    res.send(body);
  }
}
