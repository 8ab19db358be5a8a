package dev.openwif.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.audit.AuditLog;
import dev.openwif.federation.admin.AdminKeys;
import dev.openwif.federation.admin.ProjectAdmin;
import dev.openwif.federation.admin.ProviderAdmin;
import dev.openwif.federation.admin.RuleAdmin;
import dev.openwif.federation.admin.ServiceAccountAdmin;
import dev.openwif.server.http.OpenAiErrorWriter;
import io.helidon.webserver.http.HttpRouting;
import java.net.URI;
import java.util.Optional;
import java.util.function.Function;

/**
 * The admin API under {@code /v1/organization}: projects, service accounts, workload identity
 * providers, federation rules and the audit log, all behind admin-key authentication. Built by the
 * composition root from the core's admin use cases.
 */
public final class AdminApi {
  public static final String PREFIX = "/v1/organization";

  private final OpenAiErrorWriter errors;
  private final AdminHttp http;
  private final AdminViews views;
  private final ProjectAdmin projects;
  private final ServiceAccountAdmin accounts;
  private final ProviderAdmin providers;
  private final RuleAdmin rules;
  private final AuditLog auditLog;
  private final Runnable flushAudit;
  private final ProviderUrlCheck urlCheck;

  public AdminApi(
      ObjectMapper json,
      OpenAiErrorWriter errors,
      AdminKeys adminKeys,
      ProjectAdmin projects,
      ServiceAccountAdmin accounts,
      ProviderAdmin providers,
      RuleAdmin rules,
      AuditLog auditLog,
      Runnable flushAudit,
      AdminAuthThrottle authThrottle,
      Function<URI, Optional<String>> urlRefusal) {
    this.urlCheck = new ProviderUrlCheck(urlRefusal);
    this.errors = errors;
    this.http = new AdminHttp(json, errors, adminKeys, authThrottle);
    this.views = new AdminViews(json);
    this.projects = projects;
    this.accounts = accounts;
    this.providers = providers;
    this.rules = rules;
    this.auditLog = auditLog;
    this.flushAudit = flushAudit;
  }

  /** Registers every admin route under {@link #PREFIX}. */
  public void register(HttpRouting.Builder routing) {
    routing.register(
        PREFIX,
        new ProjectsService(http, views, projects, accounts),
        new ProvidersService(http, views, providers, urlCheck),
        new RulesService(http, views, rules),
        new AuditLogService(http, views, auditLog, flushAudit));
    // Anything else under the prefix: a JSON 404 in OpenAI's shape rather than the server's plain
    // text.
    routing.any(
        PREFIX + "/*",
        (req, res) ->
            errors.notFound(
                res,
                "Unknown admin endpoint: "
                    + req.prologue().method().text()
                    + " "
                    + req.path().path()));
  }
}
