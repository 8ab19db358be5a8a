package dev.openwif.server.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.federation.IdGenerator;
import dev.openwif.server.http.BoundedBody;
import dev.openwif.server.http.OpenAiErrorWriter;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Non-streaming {@code POST /v1/responses}, answered by the offline {@link DemoModel}. The response
 * has every field the Java SDK's strict validation requires (docs/wire-protocol.md): {@code id},
 * {@code object: "response"}, {@code created_at}, {@code model} (the requested name, echoed),
 * {@code output} with one assistant {@code message} ({@code id}, {@code status}, {@code content} of
 * one {@code output_text} with {@code annotations}), {@code parallel_tool_calls}, {@code
 * tool_choice}, {@code tools}, and a complete {@code usage}. Thread-safe.
 */
final class ResponsesEndpoint {
  static final int BODY_LIMIT = 1024 * 1024;

  private final ObjectMapper json;
  private final OpenAiErrorWriter errors;
  private final DemoModel model;
  private final IdGenerator ids;
  private final Clock clock;
  private final BoundedBody body = new BoundedBody(BODY_LIMIT);

  ResponsesEndpoint(
      ObjectMapper json, OpenAiErrorWriter errors, DemoModel model, IdGenerator ids, Clock clock) {
    this.json = Objects.requireNonNull(json, "json");
    this.errors = Objects.requireNonNull(errors, "errors");
    this.model = Objects.requireNonNull(model, "model");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  void create(ServerRequest req, ServerResponse res) {
    JsonNode request;
    try {
      request = json.readTree(body.read(req));
    } catch (IOException e) {
      errors.badRequest(res, "The request body is not valid JSON.", Optional.empty());
      return;
    }
    if (request == null || !request.isObject()) {
      errors.badRequest(res, "The request body must be a JSON object.", Optional.empty());
      return;
    }
    JsonNode modelName = request.get("model");
    if (modelName == null || !modelName.isTextual() || modelName.textValue().isEmpty()) {
      errors.badRequest(res, "Missing required parameter: 'model'.", Optional.of("model"));
      return;
    }
    if (request.path("stream").asBoolean(false)) {
      errors.badRequest(
          res, "Streaming is not supported by the demo model.", Optional.of("stream"));
      return;
    }
    Optional<String> input = ResponsesInput.text(request.get("input"));
    if (input.isEmpty()) {
      errors.badRequest(
          res,
          "'input' must be a string or a list of input messages with text.",
          Optional.of("input"));
      return;
    }
    send(
        res,
        response(modelName.textValue(), request.path("instructions"), model.reply(input.get())));
  }

  private ObjectNode response(String modelName, JsonNode instructions, DemoModel.Reply reply) {
    ObjectNode r = json.createObjectNode();
    r.put("id", ids.next("resp"));
    r.put("object", "response");
    r.put("created_at", clock.instant().getEpochSecond());
    r.put("status", "completed");
    r.putNull("error");
    r.putNull("incomplete_details");
    if (instructions.isTextual()) {
      r.put("instructions", instructions.textValue());
    } else {
      r.putNull("instructions");
    }
    r.putNull("max_output_tokens");
    r.put("model", modelName);
    ObjectNode message = r.putArray("output").addObject();
    message.put("type", "message");
    message.put("id", ids.next("msg"));
    message.put("status", "completed");
    message.put("role", "assistant");
    ObjectNode text = message.putArray("content").addObject();
    text.put("type", "output_text");
    text.put("text", reply.text());
    text.putArray("annotations");
    r.put("parallel_tool_calls", true);
    r.putNull("previous_response_id");
    r.put("store", false);
    r.put("temperature", 1.0);
    r.putObject("text").putObject("format").put("type", "text");
    r.put("tool_choice", "auto");
    r.putArray("tools");
    r.put("top_p", 1.0);
    r.put("truncation", "disabled");
    r.set("usage", usage(reply));
    r.putObject("metadata");
    return r;
  }

  private ObjectNode usage(DemoModel.Reply reply) {
    ObjectNode usage = json.createObjectNode();
    usage.put("input_tokens", reply.inputTokens());
    ObjectNode inputDetails = usage.putObject("input_tokens_details");
    inputDetails.put("cached_tokens", 0);
    inputDetails.put("cache_write_tokens", 0);
    usage.put("output_tokens", reply.outputTokens());
    usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
    usage.put("total_tokens", reply.inputTokens() + reply.outputTokens());
    return usage;
  }

  private void send(ServerResponse res, ObjectNode body) {
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    try {
      res.send(json.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a response", e);
    }
  }
}
