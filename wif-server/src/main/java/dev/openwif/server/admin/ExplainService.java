package dev.openwif.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.AuditSink;
import dev.openwif.audit.ReasonCode;
import dev.openwif.exchange.ExchangeExplainer;
import dev.openwif.exchange.ExchangeExplanation;
import dev.openwif.federation.AdminKey;
import dev.openwif.federation.IdGenerator;
import dev.openwif.federation.admin.AdminKeys;
import dev.openwif.server.http.RouteTable;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /v1/organization/workload_identity_providers/{id}/explain} with {@code subject_token}
 * and {@code service_account_id}: every check an exchange of that token would make ({@link
 * ExchangeExplainer}), each passed, failed or not run with its detail, and the reason code the
 * exchange would audit. Nothing is minted, no replay memory or rate-limit budget is used. Each call
 * is audited as {@value #EXPLAINED} with the admin key's id and the first 16 hex digits of the
 * token's SHA-256, never the token (the request body is not recorded). Thread-safe.
 */
public final class ExplainService {
  /** The audit event type of one explanation. */
  public static final String EXPLAINED = "workload_identity_provider.token_explained";

  private static final int HASH_PREFIX = 16;

  private final AdminHttp http;
  private final ExchangeExplainer explainer;
  private final AuditSink audit;
  private final IdGenerator ids;
  private final Clock clock;

  ExplainService(
      AdminHttp http, ExchangeExplainer explainer, AuditSink audit, IdGenerator ids, Clock clock) {
    this.http = http;
    this.explainer = explainer;
    this.audit = audit;
    this.ids = ids;
    this.clock = clock;
  }

  /** Registers this service's route (path relative to {@link AdminApi#PREFIX}). */
  void register(RouteTable routes) {
    routes.post(
        "/workload_identity_providers/{id}/explain",
        http.guard(
            (req, res, caller) -> {
              String providerId = ProjectsService.id(req, "id");
              JsonFields body =
                  http.body(req).allowOnly(Set.of("subject_token", "service_account_id"));
              String token = body.requiredString("subject_token").strip();
              String accountId = body.requiredString("service_account_id");
              if (token.isEmpty()) {
                throw BadRequestException.field("subject_token", "subject_token is empty.");
              }
              ExchangeExplanation explanation = explainer.explain(providerId, accountId, token);
              audited(caller, providerId, accountId, token, explanation);
              http.ok(res, view(providerId, accountId, explanation));
            }));
  }

  private void audited(
      AdminKey caller,
      String providerId,
      String accountId,
      String token,
      ExchangeExplanation explanation) {
    ObjectNode data = http.json().createObjectNode();
    data.put("id", providerId);
    data.put("identity_provider_id", providerId);
    data.put("service_account_id", accountId);
    data.put("subject_token_sha256_prefix", AdminKeys.sha256Hex(token).substring(0, HASH_PREFIX));
    data.put("would_succeed", explanation.wouldSucceed());
    explanation
        .refusal()
        .flatMap(ExchangeExplanation.Check::reason)
        .ifPresent(reason -> data.put("reason_code", reason.code()));
    audit.record(
        new AuditEvent.AdminChange(
            ids.next("audit"),
            clock.instant(),
            EXPLAINED,
            caller.id(),
            providerId,
            data.toString()));
  }

  private ObjectNode view(String providerId, String accountId, ExchangeExplanation explanation) {
    ObjectNode o = http.json().createObjectNode();
    o.put("object", "organization.workload_identity_provider.explanation");
    o.put("identity_provider_id", providerId);
    o.put("service_account_id", accountId);
    o.put("would_succeed", explanation.wouldSucceed());
    Optional<ExchangeExplanation.Check> refusal = explanation.refusal();
    putOrNull(o, "failed_check", refusal.map(ExchangeExplanation.Check::check));
    putOrNull(
        o, "reason_code", refusal.flatMap(ExchangeExplanation.Check::reason).map(ReasonCode::code));
    putOrNull(o, "rule_id", explanation.ruleId());
    ArrayNode checks = o.putArray("checks");
    for (ExchangeExplanation.Check c : explanation.checks()) {
      ObjectNode line = checks.addObject();
      line.put("check", c.check());
      line.put("subject", c.subject());
      line.put("outcome", c.outcome().code());
      line.put("detail", c.detail());
      putOrNull(line, "reason_code", c.reason().map(ReasonCode::code));
    }
    return o;
  }

  private static void putOrNull(ObjectNode o, String name, Optional<String> value) {
    if (value.isPresent()) {
      o.put(name, value.get());
    } else {
      o.putNull(name);
    }
  }
}
