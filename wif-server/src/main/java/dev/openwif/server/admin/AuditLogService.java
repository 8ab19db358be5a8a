package dev.openwif.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.AuditLog;
import dev.openwif.audit.AuditQuery;
import dev.openwif.server.http.RouteTable;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /v1/organization/audit_logs}: the audit log, newest first, in the shape of OpenAI's
 * audit log objects ({@code id}, {@code type}, {@code effective_at}, {@code actor} and a member
 * named after the type holding the payload). Filters: {@code type} (repeatable or comma-separated;
 * also {@code event_types[]}), {@code since} / {@code until} in Unix seconds (also {@code
 * effective_at[gte]} / {@code effective_at[lt]}), {@code limit} (1..100, default 20), {@code
 * after}. Exchange events carry the outcome, reason code, detail, provider, rule, service account,
 * external subject, a 16-hex-character prefix of the subject token's SHA-256 — never a token — and
 * {@code count}: 1, or how many refusals made before authentication from one address with one
 * reason within a minute the event stands for (it carries the first one's fields). Thread-safe.
 */
public final class AuditLogService {
  private static final int HASH_PREFIX = 16;

  private final AdminHttp http;

  private final AdminViews views;
  private final AuditLog log;
  private final Runnable flushPending;

  AuditLogService(AdminHttp http, AdminViews views, AuditLog log, Runnable flushPending) {
    this.http = http;
    this.views = views;
    this.log = log;
    this.flushPending = flushPending;
  }

  /** Registers this service's routes (paths relative to {@link AdminApi#PREFIX}). */
  void register(RouteTable rules) {
    rules.get(
        "/audit_logs",
        http.guard(
            (req, res, caller) -> {
              AuditQuery query =
                  new AuditQuery(
                      types(req),
                      time(req, "since", "effective_at[gte]"),
                      time(req, "until", "effective_at[lt]"),
                      ListParams.limit(req),
                      ListParams.after(req));
              flushPending.run();
              // a cursor naming no event: AdminValidationException, answered 400 naming after
              AuditLog.Result result = log.list(query);
              http.ok(
                  res,
                  views.list(result.data().stream().map(this::event).toList(), result.hasMore()));
            }));
  }

  private static Set<String> types(ServerRequest req) {
    Set<String> types = new LinkedHashSet<>();
    for (String name : List.of("type", "event_types[]", "event_types")) {
      for (String value : req.query().all(name, List::of)) {
        Arrays.stream(value.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .forEach(types::add);
      }
    }
    return types;
  }

  /** {@code name}, or else its {@code alias}, as a Unix time; the error names the one given. */
  private static Optional<Instant> time(ServerRequest req, String name, String alias) {
    return ListParams.query(req, name).isPresent()
        ? ListParams.unixTime(req, name)
        : ListParams.unixTime(req, alias);
  }

  private ObjectNode event(AuditEvent event) {
    ObjectMapper json = http.json();
    ObjectNode o = json.createObjectNode();
    o.put("object", "organization.audit_log");
    o.put("id", event.id());
    o.put("type", event.type());
    o.put("effective_at", event.occurredAt().getEpochSecond());
    switch (event) {
      case AuditEvent.AdminChange c -> {
        ObjectNode actor = o.putObject("actor");
        actor.put("type", "api_key");
        actor.putObject("api_key").put("id", c.actor()).put("type", "admin_key");
        o.set(c.type(), payload(json, c.dataJson(), c.objectId()));
      }
      case AuditEvent.ExchangeAttempt x -> {
        ObjectNode actor = o.putObject("actor");
        actor.put("type", "workload");
        ObjectNode workload = actor.putObject("workload");
        workload.put("identity_provider_id", x.providerId().orElse(null));
        workload.put("external_subject", x.externalSubject().orElse(null));
        workload.put("client_address", x.clientAddress().orElse(null));
        ObjectNode p = o.putObject(x.type());
        p.put("outcome", x.succeeded() ? "succeeded" : "failed");
        p.put("reason_code", x.reason().map(r -> r.code()).orElse(null));
        p.put("detail", x.detail());
        p.put("identity_provider_id", x.providerId().orElse(null));
        p.put("federation_rule_id", x.ruleId().orElse(null));
        p.put("service_account_id", x.serviceAccountId().orElse(null));
        p.put("external_subject", x.externalSubject().orElse(null));
        p.put(
            "subject_token_hash_prefix",
            x.subjectTokenHash()
                .map(h -> h.substring(0, Math.min(HASH_PREFIX, h.length())))
                .orElse(null));
        p.put("access_token_jti", x.accessTokenJti().orElse(null));
        p.put("count", x.count());
      }
    }
    return o;
  }

  private static JsonNode payload(ObjectMapper json, String dataJson, String objectId) {
    try {
      return json.readTree(dataJson);
    } catch (IOException e) {
      ObjectNode fallback = json.createObjectNode();
      fallback.put("id", objectId);
      return fallback;
    }
  }
}
