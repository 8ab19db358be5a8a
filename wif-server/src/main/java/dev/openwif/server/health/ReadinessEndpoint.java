package dev.openwif.server.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /readyz}: 200 when the node is ready, 503 when not (or still starting), with a JSON
 * body listing every check: {@code {"status":"ready"|"not_ready","checks":[{"name":...,"ok":...,
 * "required":...,"detail":...}]}}. Unauthenticated, like {@code /healthz}: its details name the
 * database's trouble and provider ids, never a secret. Thread-safe.
 */
public final class ReadinessEndpoint implements Handler {
  private final Readiness readiness;
  private final BooleanSupplier started;
  private final ObjectMapper json;

  public ReadinessEndpoint(Readiness readiness, BooleanSupplier started, ObjectMapper json) {
    this.readiness = Objects.requireNonNull(readiness, "readiness");
    this.started = Objects.requireNonNull(started, "started");
    this.json = Objects.requireNonNull(json, "json");
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) throws Exception {
    boolean listening = started.getAsBoolean();
    List<Check> checks = readiness.checks();
    if (!listening) {
      checks = new java.util.ArrayList<>(checks);
      checks.add(0, new Check("started", false, true, "the server is starting"));
    }
    boolean ready = Readiness.ready(checks);
    ObjectNode body = json.createObjectNode();
    body.put("status", ready ? "ready" : "not_ready");
    ArrayNode list = body.putArray("checks");
    for (Check check : checks) {
      list.addObject()
          .put("name", check.name())
          .put("ok", check.ok())
          .put("required", check.required())
          .put("detail", check.detail());
    }
    res.status(ready ? 200 : 503);
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.send(json.writeValueAsBytes(body));
  }
}
