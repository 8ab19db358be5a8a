package dev.openwif.server.dashboard;

import dev.openwif.federation.Project;
import dev.openwif.federation.ServiceAccount;
import dev.openwif.federation.WorkloadIdentityProvider;
import dev.openwif.federation.admin.ProjectAdmin;
import dev.openwif.federation.admin.ProviderAdmin;
import dev.openwif.federation.admin.ServiceAccountAdmin;
import dev.openwif.server.dashboard.DashboardSessions.Session;
import dev.openwif.server.dashboard.templates.JtedebuggerGenerated;
import dev.openwif.server.http.RouteTable;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The token debugger screen: paste a subject token, choose a provider and a service account, and
 * see the token decoded and every check an exchange would make ({@link TokenDebugger}). The token
 * is sent by POST (with the CSRF token), shown back only in the answer, and never stored.
 * Thread-safe.
 */
final class DebuggerPages {
  /** The longest token the debugger reads (the exchange's own cap is lower). */
  static final int MAX_TOKEN = 64 * 1024;

  private final Web web;
  private final TokenDebugger debugger;
  private final ProviderAdmin providers;
  private final ProjectAdmin projects;
  private final ServiceAccountAdmin accounts;

  DebuggerPages(
      Web web,
      TokenDebugger debugger,
      ProviderAdmin providers,
      ProjectAdmin projects,
      ServiceAccountAdmin accounts) {
    this.web = web;
    this.debugger = debugger;
    this.providers = providers;
    this.projects = projects;
    this.accounts = accounts;
  }

  void register(RouteTable r) {
    r.get(
        "/debugger",
        web.page(
            (req, res, s) ->
                render(
                    res,
                    200,
                    s,
                    "",
                    req.query().first("provider").orElse(""),
                    req.query().first("account").orElse(""),
                    Optional.empty(),
                    "")));
    r.post(
        "/debugger",
        web.form(
            (req, res, s, f) -> {
              String token = f.text("token").strip();
              String provider = f.text("provider");
              String account = f.text("account");
              if (!Web.plausibleId(provider) || !Web.plausibleId(account)) {
                provider = Web.plausibleId(provider) ? provider : "";
                account = Web.plausibleId(account) ? account : "";
              }
              if (token.isEmpty() || token.length() > MAX_TOKEN) {
                render(
                    res,
                    400,
                    s,
                    "",
                    provider,
                    account,
                    Optional.empty(),
                    "Paste a subject token (a JWT, at most 64 KiB).");
                return;
              }
              if (!Web.plausibleId(provider) || !Web.plausibleId(account)) {
                render(
                    res,
                    400,
                    s,
                    token,
                    provider,
                    account,
                    Optional.empty(),
                    "Choose the provider and the service account the exchange would name.");
                return;
              }
              TokenDebugger.Report report =
                  debugger.explain(s.adminKeyId(), token, provider, account);
              render(res, 200, s, token, provider, account, Optional.of(report), "");
            }));
  }

  private void render(
      ServerResponse res,
      int status,
      Session s,
      String token,
      String provider,
      String account,
      Optional<TokenDebugger.Report> report,
      String error) {
    List<Views.Choice> providerChoices =
        Listing.all(providers::list, WorkloadIdentityProvider::id).stream()
            .map(p -> new Views.Choice(p.id(), p.name() + " (" + p.id() + ")"))
            .toList();
    List<Views.Choice> accountChoices = new ArrayList<>();
    for (Project project : Listing.all(page -> projects.list(page, false), Project::id)) {
      for (ServiceAccount a :
          Listing.all(page -> accounts.list(project.id(), page), ServiceAccount::id)) {
        accountChoices.add(
            new Views.Choice(a.id(), project.name() + " / " + a.name() + " (" + a.id() + ")"));
      }
    }
    Web.render(
        res,
        status,
        out ->
            JtedebuggerGenerated.render(
                out,
                null,
                web.base(),
                token,
                provider,
                account,
                providerChoices,
                accountChoices,
                report.orElse(null),
                error,
                s.csrfToken()));
  }
}
