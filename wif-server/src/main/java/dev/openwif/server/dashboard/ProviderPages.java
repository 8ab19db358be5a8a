package dev.openwif.server.dashboard;

import dev.openwif.federation.AdminValidationException;
import dev.openwif.federation.ConflictException;
import dev.openwif.federation.FederationRule;
import dev.openwif.federation.WorkloadIdentityProvider;
import dev.openwif.federation.admin.ProviderAdmin;
import dev.openwif.federation.admin.RuleAdmin;
import dev.openwif.federation.admin.RuleLint;
import dev.openwif.server.dashboard.DashboardSessions.Session;
import dev.openwif.server.dashboard.templates.JteconfirmGenerated;
import dev.openwif.server.dashboard.templates.JteproviderFormGenerated;
import dev.openwif.server.dashboard.templates.JteproviderGenerated;
import dev.openwif.server.dashboard.templates.JteprovidersGenerated;
import dev.openwif.server.http.RouteTable;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Workload Identity Providers pages: the list, create and edit (validation by {@link
 * ProviderAdmin}, each message beside its field), the provider's own page with its mappings,
 * enable/disable and delete with confirmation (the reason shown when it is refused). Thread-safe.
 */
final class ProviderPages {
  /** The fixed notices a redirect may ask a page to show (never text from the query). */
  static final Map<String, String> NOTICES =
      Map.of(
          "created", "Provider created.",
          "updated", "Provider saved.",
          "enabled", "Provider enabled.",
          "disabled", "Provider disabled.",
          "mapping-created", "Service account mapping created.",
          "mapping-updated", "Service account mapping saved.",
          "mapping-enabled", "Service account mapping enabled.",
          "mapping-disabled", "Service account mapping disabled.",
          "mapping-deleted", "Service account mapping deleted.");

  private final Web web;
  private final ProviderAdmin providers;
  private final RuleAdmin rules;
  private final UrlCheck urlCheck;
  private final Notes notes;
  private final MappingPages mappingPages;

  ProviderPages(
      Web web,
      ProviderAdmin providers,
      RuleAdmin rules,
      UrlCheck urlCheck,
      Notes notes,
      MappingPages mappingPages) {
    this.mappingPages = mappingPages;
    this.web = web;
    this.providers = providers;
    this.rules = rules;
    this.urlCheck = urlCheck;
    this.notes = notes;
  }

  void register(RouteTable r) {
    r.get("/providers", web.page(this::list));
    r.get(
        "/providers/new",
        web.page((req, res, s) -> form(res, 200, s, ProviderForm.blank(), Optional.empty())));
    r.post("/providers/new", web.form((req, res, s, f) -> save(res, s, f, Optional.empty())));
    r.get("/providers/{id}", web.page(this::show));
    r.get(
        "/providers/{id}/edit",
        web.page(
            (req, res, s) -> {
              WorkloadIdentityProvider p = providers.get(id(req));
              form(res, 200, s, ProviderForm.of(p), Optional.of(p.id()));
            }));
    r.post(
        "/providers/{id}/edit",
        web.form((req, res, s, f) -> save(res, s, f, Optional.of(providers.get(id(req)).id()))));
    r.post("/providers/{id}/enabled", web.form(this::setEnabled));
    r.get(
        "/providers/{id}/delete",
        web.page((req, res, s) -> confirmDelete(res, 200, s, providers.get(id(req)), "")));
    r.post("/providers/{id}/delete", web.form(this::delete));
  }

  static String id(ServerRequest req) {
    return Web.pathId(req, "id");
  }

  static String notice(ServerRequest req) {
    return req.query().first("notice").map(n -> NOTICES.getOrDefault(n, "")).orElse("");
  }

  private void list(ServerRequest req, ServerResponse res, Session s) {
    List<Views.ProviderRow> rows =
        Listing.all(providers::list, WorkloadIdentityProvider::id).stream()
            .map(
                p ->
                    new Views.ProviderRow(
                        p.id(),
                        p.name(),
                        p.issuer(),
                        p.audience(),
                        p.enabled(),
                        mappingsOf(p.id()).size()))
            .toList();
    Web.render(
        res, 200, out -> JteprovidersGenerated.render(out, null, web.base(), rows, s.csrfToken()));
  }

  List<FederationRule> mappingsOf(String providerId) {
    return Listing.all(page -> rules.list(providerId, Optional.empty(), page), FederationRule::id);
  }

  private void show(ServerRequest req, ServerResponse res, Session s) {
    WorkloadIdentityProvider p = providers.get(id(req));
    List<FederationRule> rules = mappingsOf(p.id());
    List<Views.MappingRow> mappings = mappingPages.rows(rules);
    List<String> warnings = savedMappingWarnings(req, rules);
    Web.render(
        res,
        200,
        out ->
            JteproviderGenerated.render(
                out,
                null,
                web.base(),
                Views.ProviderDetail.of(p),
                mappings,
                notice(req),
                warnings,
                s.csrfToken()));
  }

  /**
   * The warnings of {@link RuleLint} for the mapping a save just redirected here with ({@code
   * saved}, one of this provider's mappings; anything else shows nothing): the messages are the
   * server's, never text from the query.
   */
  private static List<String> savedMappingWarnings(ServerRequest req, List<FederationRule> rules) {
    return req.query()
        .first("saved")
        .flatMap(id -> rules.stream().filter(r -> r.id().equals(id)).findFirst())
        .map(
            r ->
                RuleLint.check(r.attributeMatchers()).stream()
                    .map(RuleLint.Warning::message)
                    .toList())
        .orElse(List.of());
  }

  private void form(
      ServerResponse res, int status, Session s, ProviderForm form, Optional<String> editing) {
    String heading =
        editing.isPresent()
            ? "Edit Workload Identity Provider"
            : "Create a Workload Identity Provider";
    String action =
        editing
            .map(id -> web.base() + "/providers/" + id + "/edit")
            .orElse(web.base() + "/providers/new");
    Web.render(
        res,
        status,
        out ->
            JteproviderFormGenerated.render(
                out, null, web.base(), form, heading, action, s.csrfToken()));
  }

  private void save(ServerResponse res, Session s, FormData data, Optional<String> editing) {
    ProviderForm form = ProviderForm.of(data);
    String op = data.text("op");
    if (op.equals("add")) {
      form(res, 200, s, form.withRowAdded(), editing);
      return;
    }
    if (op.startsWith("remove:")) {
      form(res, 200, s, form.withRowRemoved(index(op)), editing);
      return;
    }
    try {
      urlCheck.check(form);
      WorkloadIdentityProvider saved =
          editing.isPresent()
              ? providers.update(editing.get(), form.toPatch(), notes.of(s, form.auditFields()))
              : providers.create(form.toDraft(), notes.of(s, form.auditFields()));
      Web.redirect(
          res,
          web.base()
              + "/providers/"
              + saved.id()
              + "?notice="
              + (editing.isPresent() ? "updated" : "created"));
    } catch (AdminValidationException e) {
      form(
          res,
          400,
          s,
          form.withErrors(FieldErrors.of(form.fieldOf(e.param()), e.getMessage())),
          editing);
    } catch (ConflictException e) {
      String field = e.param().map(form::fieldOf).orElse(FieldErrors.FORM);
      form(res, 409, s, form.withErrors(FieldErrors.of(field, e.getMessage())), editing);
    }
  }

  static int index(String op) {
    try {
      return Integer.parseInt(op.substring(op.indexOf(':') + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void setEnabled(ServerRequest req, ServerResponse res, Session s, FormData f) {
    String id = id(req);
    boolean enabled = f.text("enabled").equals("true");
    providers.update(
        id,
        new dev.openwif.federation.admin.ProviderPatch(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(enabled),
            Optional.empty(),
            Optional.empty(),
            Optional.empty()),
        notes.of(s, Map.of("enabled", enabled)));
    Web.redirect(
        res, web.base() + "/providers/" + id + "?notice=" + (enabled ? "enabled" : "disabled"));
  }

  private void confirmDelete(
      ServerResponse res, int status, Session s, WorkloadIdentityProvider p, String error) {
    String base = web.base() + "/providers/" + p.id();
    Web.render(
        res,
        status,
        out ->
            JteconfirmGenerated.render(
                out,
                null,
                web.base(),
                "Delete provider " + p.name(),
                "Delete the Workload Identity Provider '"
                    + p.name()
                    + "' ("
                    + p.id()
                    + ")? Workloads can no longer exchange its tokens. This cannot be undone.",
                base + "/delete",
                base,
                "Delete provider",
                error,
                s.csrfToken()));
  }

  private void delete(ServerRequest req, ServerResponse res, Session s, FormData f) {
    WorkloadIdentityProvider p = providers.get(id(req));
    try {
      providers.delete(p.id(), notes.of(s, Map.of("id", p.id())));
    } catch (ConflictException e) {
      confirmDelete(res, 409, s, p, e.getMessage());
      return;
    }
    Web.redirect(res, web.base() + "/providers");
  }
}
