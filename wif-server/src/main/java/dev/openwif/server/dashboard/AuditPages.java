package dev.openwif.server.dashboard;

import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.AuditLog;
import dev.openwif.audit.AuditQuery;
import dev.openwif.federation.AdminValidationException;
import dev.openwif.server.dashboard.DashboardSessions.Session;
import dev.openwif.server.dashboard.templates.JteauditGenerated;
import dev.openwif.server.http.RouteTable;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The audit log screen: events newest first, 25 a page, filtered by type, exchange outcome,
 * provider, service account and time range; a failed exchange shows its reason code and detail
 * sentence. Provider and service account filters are applied to the events the store returns,
 * looking at no more than {@link #SCAN} events per page. Thread-safe.
 */
final class AuditPages {
  static final int PAGE = 25;
  static final int SCAN = 2_000;

  private final Web web;
  private final AuditLog auditLog;
  private final Runnable flush;

  AuditPages(Web web, AuditLog auditLog, Runnable flush) {
    this.web = web;
    this.auditLog = auditLog;
    this.flush = flush;
  }

  void register(RouteTable r) {
    r.get("/audit", web.page(this::show));
  }

  private void show(ServerRequest req, ServerResponse res, Session s) {
    AuditFilter filter = AuditFilter.of(name -> req.query().first(name).asOptional());
    Optional<String> after = req.query().first("after").asOptional().filter(Web::plausibleId);
    flush.run(); // an exchange made a moment ago is shown
    List<Views.AuditRow> rows = new ArrayList<>();
    Optional<String> next = Optional.empty();
    String error = "";
    if (!filter.none()) {
      try {
        Optional<String> cursor = after;
        int scanned = 0;
        boolean more = true;
        while (more && rows.size() < PAGE && scanned < SCAN) {
          AuditLog.Result page =
              auditLog.list(
                  new AuditQuery(
                      filter.types(), filter.sinceInstant(), filter.untilInstant(), 100, cursor));
          more = page.hasMore();
          for (AuditEvent e : page.data()) {
            scanned++;
            cursor = Optional.of(e.id());
            if (filter.matches(e)) {
              rows.add(Views.AuditRow.of(e));
              if (rows.size() == PAGE) {
                more = more || page.data().indexOf(e) < page.data().size() - 1;
                break;
              }
            }
          }
          if (page.data().isEmpty()) {
            more = false;
          }
        }
        next = more ? cursor : Optional.empty();
      } catch (AdminValidationException e) {
        error = "That page of the audit log no longer exists; start again from the newest events.";
      }
    }
    String query = filter.queryString();
    String nextUrl =
        next.map(
                id ->
                    web.base()
                        + "/audit?"
                        + (query.isEmpty() ? "" : query + "&")
                        + "after="
                        + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8))
            .orElse("");
    String firstUrl = web.base() + "/audit" + (query.isEmpty() ? "" : "?" + query);
    String pageError = error;
    Web.render(
        res,
        filter.errors().any() ? 400 : 200,
        out ->
            JteauditGenerated.render(
                out,
                null,
                web.base(),
                filter,
                AuditFilter.TYPES,
                rows,
                after.isPresent() ? firstUrl : "",
                nextUrl,
                pageError,
                s.csrfToken()));
  }
}
