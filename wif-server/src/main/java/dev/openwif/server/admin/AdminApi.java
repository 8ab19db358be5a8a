package dev.openwif.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.audit.AuditLog;
import dev.openwif.audit.AuditQueueStatus;
import dev.openwif.audit.AuditSink;
import dev.openwif.exchange.ExchangeExplainer;
import dev.openwif.federation.IdGenerator;
import dev.openwif.federation.admin.AdminKeys;
import dev.openwif.federation.admin.ProjectAdmin;
import dev.openwif.federation.admin.ProviderAdmin;
import dev.openwif.federation.admin.ResourceServerAdmin;
import dev.openwif.federation.admin.RuleAdmin;
import dev.openwif.federation.admin.ServiceAccountAdmin;
import dev.openwif.server.http.OpenAiErrorWriter;
import dev.openwif.server.http.RouteTable;
import dev.openwif.server.http.TrustedProxies;
import dev.openwif.server.infra.CryptoStatus;
import dev.openwif.usage.UsageRepository;
import io.helidon.webserver.http.Handler;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The admin API under {@code /v1/organization}: projects, service accounts, workload identity
 * providers, federation rules, the explanation of a subject token's exchange, resource servers, the
 * audit log and the gateway's usage, all behind admin-key authentication; and {@code GET
 * /v1/organization/status} (the audit queue's depth, the crypto provider in force). Built by the
 * composition root from the core's admin use cases.
 */
public final class AdminApi {
  public static final String PREFIX = "/v1/organization";

  private final AdminHttp http;
  private final AdminViews views;
  private final ProjectAdmin projects;
  private final ServiceAccountAdmin accounts;
  private final ProviderAdmin providers;
  private final RuleAdmin rules;
  private final ResourceServerAdmin resourceServers;
  private final AuditLog auditLog;
  private final Runnable flushAudit;
  private final ProviderUrlCheck urlCheck;
  private final UsageRepository usage;
  private final Runnable flushUsage;
  private final Clock clock;
  private final Supplier<Optional<AuditQueueStatus>> auditQueue;
  private final Supplier<CryptoStatus> crypto;
  private final ExchangeExplainer explainer;
  private final AuditSink explainAudit;
  private final IdGenerator ids;

  public AdminApi(
      ObjectMapper json,
      OpenAiErrorWriter errors,
      AdminKeys adminKeys,
      ProjectAdmin projects,
      ServiceAccountAdmin accounts,
      ProviderAdmin providers,
      RuleAdmin rules,
      ResourceServerAdmin resourceServers,
      AuditLog auditLog,
      Runnable flushAudit,
      AdminAuthThrottle authThrottle,
      TrustedProxies proxies,
      Function<URI, Optional<String>> urlRefusal,
      UsageRepository usage,
      Runnable flushUsage,
      Clock clock,
      Supplier<Optional<AuditQueueStatus>> auditQueue,
      Supplier<CryptoStatus> crypto,
      ExchangeExplainer explainer,
      AuditSink explainAudit,
      IdGenerator ids) {
    this.urlCheck = new ProviderUrlCheck(urlRefusal);
    this.http = new AdminHttp(json, errors, adminKeys, authThrottle, proxies);
    this.views = new AdminViews(json);
    this.projects = projects;
    this.accounts = accounts;
    this.providers = providers;
    this.rules = rules;
    this.resourceServers = resourceServers;
    this.auditLog = auditLog;
    this.flushAudit = flushAudit;
    this.usage = usage;
    this.flushUsage = flushUsage;
    this.clock = clock;
    this.auditQueue = auditQueue;
    this.crypto = crypto;
    this.explainer = explainer;
    this.explainAudit = explainAudit;
    this.ids = ids;
  }

  /**
   * Registers every admin route under {@link #PREFIX} in {@code routes}, and a fallback for the
   * rest of the prefix. The fallback authenticates first, like every admin route: without a valid
   * admin key the answer is 401 (or 429 while the address is throttled) whatever the path and
   * method, so callers without a key learn nothing of the admin route table. With one, {@code
   * unmatched} answers: 405 with {@code Allow} for a path some admin route serves with another
   * method, 404 {@code unknown_url} otherwise (the server's fallback, answering from the same
   * {@code routes}).
   */
  public void register(RouteTable routes, Handler unmatched) {
    RouteTable admin = routes.under(PREFIX);
    new ProjectsService(http, views, projects, accounts).register(admin);
    new ProvidersService(http, views, providers, urlCheck).register(admin);
    new RulesService(http, views, rules).register(admin);
    new ExplainService(http, explainer, explainAudit, ids, clock).register(admin);
    new ResourceServersService(http, views, resourceServers).register(admin);
    new AuditLogService(http, views, auditLog, flushAudit).register(admin);
    new UsageService(http, usage, flushUsage, clock).register(admin);
    new StatusService(http, auditQueue, crypto).register(admin);
    Handler fallback = http.guard((req, res, caller) -> unmatched.handle(req, res));
    admin.fallback("", fallback);
    admin.fallback("/*", fallback);
  }
}
