package dev.openwif.server.dashboard;

import dev.openwif.federation.AdminValidationException;
import dev.openwif.federation.ConflictException;
import dev.openwif.federation.Project;
import dev.openwif.federation.ServiceAccount;
import dev.openwif.federation.admin.ProjectAdmin;
import dev.openwif.federation.admin.ServiceAccountAdmin;
import dev.openwif.server.dashboard.DashboardSessions.Session;
import dev.openwif.server.dashboard.templates.JteconfirmGenerated;
import dev.openwif.server.dashboard.templates.JteprojectGenerated;
import dev.openwif.server.dashboard.templates.JteprojectsGenerated;
import dev.openwif.server.http.RouteTable;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;

/**
 * Projects and their service accounts: list (archived ones on request), create, rename, archive
 * with confirmation; a project's service accounts: create, rename, delete with confirmation (the
 * reason shown when a mapping still uses the account). Validation by {@link ProjectAdmin} and
 * {@link ServiceAccountAdmin}. Thread-safe.
 */
final class ProjectPages {
  static final Map<String, String> NOTICES =
      Map.of(
          "created", "Project created.",
          "renamed", "Project renamed.",
          "archived", "Project archived.",
          "account-created", "Service account created.",
          "account-renamed", "Service account renamed.",
          "account-deleted", "Service account deleted.");

  private final Web web;
  private final ProjectAdmin projects;
  private final ServiceAccountAdmin accounts;
  private final Notes notes;

  ProjectPages(Web web, ProjectAdmin projects, ServiceAccountAdmin accounts, Notes notes) {
    this.web = web;
    this.projects = projects;
    this.accounts = accounts;
    this.notes = notes;
  }

  void register(RouteTable r) {
    r.get(
        "/projects",
        web.page(
            (req, res, s) -> list(res, 200, s, req.query().first("archived").isPresent(), "", "")));
    r.post("/projects", web.form(this::create));
    r.get(
        "/projects/{id}",
        web.page(
            (req, res, s) ->
                show(res, 200, s, projects.get(id(req)), FieldErrors.NONE, notice(req))));
    r.post("/projects/{id}/rename", web.form(this::rename));
    r.get("/projects/{id}/archive", web.page(this::confirmArchive));
    r.post("/projects/{id}/archive", web.form(this::archive));
    r.post("/projects/{id}/service-accounts", web.form(this::createAccount));
    r.post("/projects/{id}/service-accounts/{account}/rename", web.form(this::renameAccount));
    r.get("/projects/{id}/service-accounts/{account}/delete", web.page(this::confirmDelete));
    r.post("/projects/{id}/service-accounts/{account}/delete", web.form(this::deleteAccount));
  }

  private static String id(ServerRequest req) {
    return Web.pathId(req, "id");
  }

  private static String account(ServerRequest req) {
    return Web.pathId(req, "account");
  }

  private static String notice(ServerRequest req) {
    return req.query().first("notice").map(n -> NOTICES.getOrDefault(n, "")).orElse("");
  }

  private String base(String projectId) {
    return web.base() + "/projects/" + projectId;
  }

  private void list(
      ServerResponse res, int status, Session s, boolean archived, String error, String name) {
    List<Views.ProjectRow> rows =
        Listing.all(page -> projects.list(page, archived), Project::id).stream()
            .map(
                p ->
                    new Views.ProjectRow(
                        p.id(),
                        p.name(),
                        p.archived(),
                        Listing.all(page -> accounts.list(p.id(), page), ServiceAccount::id)
                            .size()))
            .toList();
    Web.render(
        res,
        status,
        out ->
            JteprojectsGenerated.render(
                out, null, web.base(), rows, archived, error, name, s.csrfToken()));
  }

  private void show(
      ServerResponse res,
      int status,
      Session s,
      Project project,
      FieldErrors errors,
      String notice) {
    List<ServiceAccount> list =
        Listing.all(page -> accounts.list(project.id(), page), ServiceAccount::id);
    Web.render(
        res,
        status,
        out ->
            JteprojectGenerated.render(
                out, null, web.base(), project, list, errors, notice, s.csrfToken()));
  }

  private void create(ServerRequest req, ServerResponse res, Session s, FormData f) {
    String name = f.text("name").strip();
    try {
      Project p = projects.create(name, notes.of(s, Map.of("name", name)));
      Web.redirect(res, base(p.id()) + "?notice=created");
    } catch (AdminValidationException e) {
      list(res, 400, s, false, e.getMessage(), name);
    }
  }

  private void rename(ServerRequest req, ServerResponse res, Session s, FormData f) {
    Project p = projects.get(id(req));
    String name = f.text("name").strip();
    try {
      projects.rename(p.id(), name, notes.of(s, Map.of("name", name)));
      Web.redirect(res, base(p.id()) + "?notice=renamed");
    } catch (AdminValidationException e) {
      show(res, 400, s, p, FieldErrors.of("name", e.getMessage()), "");
    }
  }

  private void confirmArchive(ServerRequest req, ServerResponse res, Session s) {
    Project p = projects.get(id(req));
    Web.render(
        res,
        200,
        out ->
            JteconfirmGenerated.render(
                out,
                null,
                web.base(),
                "Archive project " + p.name(),
                "Archive the project '"
                    + p.name()
                    + "' ("
                    + p.id()
                    + ")? Access tokens for its service accounts stop working at once, and no new"
                    + " mapping may target them. Archiving cannot be undone.",
                base(p.id()) + "/archive",
                base(p.id()),
                "Archive project",
                "",
                s.csrfToken()));
  }

  private void archive(ServerRequest req, ServerResponse res, Session s, FormData f) {
    Project p = projects.get(id(req));
    projects.archive(p.id(), notes.of(s, Map.of("id", p.id())));
    Web.redirect(res, base(p.id()) + "?notice=archived");
  }

  private void createAccount(ServerRequest req, ServerResponse res, Session s, FormData f) {
    Project p = projects.get(id(req));
    String name = f.text("name").strip();
    try {
      accounts.create(p.id(), name, notes.of(s, Map.of("name", name)));
      Web.redirect(res, base(p.id()) + "?notice=account-created");
    } catch (AdminValidationException e) {
      show(res, 400, s, p, FieldErrors.of("account_name", e.getMessage()), "");
    }
  }

  private void renameAccount(ServerRequest req, ServerResponse res, Session s, FormData f) {
    Project p = projects.get(id(req));
    String name = f.text("name").strip();
    try {
      accounts.rename(p.id(), account(req), name, notes.of(s, Map.of("name", name)));
      Web.redirect(res, base(p.id()) + "?notice=account-renamed");
    } catch (AdminValidationException e) {
      show(res, 400, s, p, FieldErrors.of(FieldErrors.FORM, e.getMessage()), "");
    }
  }

  private void confirmDelete(ServerRequest req, ServerResponse res, Session s) {
    Project p = projects.get(id(req));
    ServiceAccount a = accounts.get(p.id(), account(req));
    renderConfirmDelete(res, 200, s, p, a, "");
  }

  private void renderConfirmDelete(
      ServerResponse res, int status, Session s, Project p, ServiceAccount a, String error) {
    Web.render(
        res,
        status,
        out ->
            JteconfirmGenerated.render(
                out,
                null,
                web.base(),
                "Delete service account " + a.name(),
                "Delete the service account '"
                    + a.name()
                    + "' ("
                    + a.id()
                    + ") of project '"
                    + p.name()
                    + "'? This cannot be undone.",
                base(p.id()) + "/service-accounts/" + a.id() + "/delete",
                base(p.id()),
                "Delete service account",
                error,
                s.csrfToken()));
  }

  private void deleteAccount(ServerRequest req, ServerResponse res, Session s, FormData f) {
    Project p = projects.get(id(req));
    ServiceAccount a = accounts.get(p.id(), account(req));
    try {
      accounts.delete(p.id(), a.id(), notes.of(s, Map.of("id", a.id())));
    } catch (ConflictException e) {
      renderConfirmDelete(res, 409, s, p, a, e.getMessage());
      return;
    }
    Web.redirect(res, base(p.id()) + "?notice=account-deleted");
  }
}
