package dev.openwif.server.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.audit.AuditQueueStatus;
import dev.openwif.server.http.RouteTable;
import dev.openwif.server.infra.CryptoStatus;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /v1/organization/status}: the server's own state for operators, behind the admin key.
 * Today the audit queue: {@code {"object":"organization.status","audit_queue":{"depth",
 * "capacity","high_water_mark","refused","lost","writer_restarts"}}} ({@code audit_queue} is null
 * for a store that writes synchronously). {@code depth} near {@code capacity} means the database is
 * slow or unreachable and exchanges are about to be refused with 503; {@code refused} and {@code
 * lost} count since start. And the crypto in force: {@code "crypto":{"native":true,"provider":
 * "Amazon Corretto Crypto Provider 2.5.0","reason":null}}, or {@code "native":false} with the JDK
 * providers and the reason (switched off, or unavailable and why). Thread-safe.
 */
final class StatusService {
  private final AdminHttp http;
  private final Supplier<Optional<AuditQueueStatus>> auditQueue;
  private final Supplier<CryptoStatus> crypto;

  StatusService(
      AdminHttp http,
      Supplier<Optional<AuditQueueStatus>> auditQueue,
      Supplier<CryptoStatus> crypto) {
    this.http = http;
    this.auditQueue = auditQueue;
    this.crypto = crypto;
  }

  /** Registers this service's route (path relative to {@link AdminApi#PREFIX}). */
  void register(RouteTable routes) {
    routes.get(
        "/status",
        http.guard(
            (req, res, caller) -> {
              ObjectNode body = http.json().createObjectNode();
              body.put("object", "organization.status");
              Optional<AuditQueueStatus> queue = auditQueue.get();
              if (queue.isPresent()) {
                AuditQueueStatus q = queue.get();
                body.putObject("audit_queue")
                    .put("depth", q.depth())
                    .put("capacity", q.capacity())
                    .put("high_water_mark", q.highWaterMark())
                    .put("refused", q.refused())
                    .put("lost", q.lost())
                    .put("writer_restarts", q.writerRestarts());
              } else {
                body.putNull("audit_queue");
              }
              CryptoStatus c = crypto.get();
              body.putObject("crypto")
                  .put("native", c.nativeActive())
                  .put("provider", c.provider())
                  .put("reason", c.fallbackReason().orElse(null));
              http.ok(res, body);
            }));
  }
}
