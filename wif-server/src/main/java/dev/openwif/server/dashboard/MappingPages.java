package dev.openwif.server.dashboard;

import dev.openwif.federation.AdminValidationException;
import dev.openwif.federation.ConflictException;
import dev.openwif.federation.FederationRule;
import dev.openwif.federation.NotFoundException;
import dev.openwif.federation.Project;
import dev.openwif.federation.ScopeCatalogue;
import dev.openwif.federation.ServiceAccount;
import dev.openwif.federation.WorkloadIdentityProvider;
import dev.openwif.federation.admin.ProjectAdmin;
import dev.openwif.federation.admin.ProviderAdmin;
import dev.openwif.federation.admin.ProviderValidator;
import dev.openwif.federation.admin.RuleAdmin;
import dev.openwif.federation.admin.RulePatch;
import dev.openwif.federation.admin.ServiceAccountAdmin;
import dev.openwif.server.dashboard.DashboardSessions.Session;
import dev.openwif.server.dashboard.templates.JteconfirmGenerated;
import dev.openwif.server.dashboard.templates.JtemappingFormGenerated;
import dev.openwif.server.http.RouteTable;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A provider's service account mappings (federation rules): create and edit with Key/Value rows,
 * the target service account picked or created in place, permissions (default, or restricted to
 * scopes of the {@link ScopeCatalogue}); enable/disable; delete with confirmation. Validation by
 * {@link RuleAdmin}, each message beside its field. Thread-safe.
 */
final class MappingPages {
  private static final String BASE = "/providers/{id}/mappings";

  private final Web web;
  private final ProviderAdmin providers;
  private final RuleAdmin rules;
  private final ProjectAdmin projects;
  private final ServiceAccountAdmin accounts;
  private final Notes notes;

  MappingPages(
      Web web,
      ProviderAdmin providers,
      RuleAdmin rules,
      ProjectAdmin projects,
      ServiceAccountAdmin accounts,
      Notes notes) {
    this.web = web;
    this.providers = providers;
    this.rules = rules;
    this.projects = projects;
    this.accounts = accounts;
    this.notes = notes;
  }

  void register(RouteTable r) {
    r.get(
        BASE + "/new",
        web.page(
            (req, res, s) ->
                form(
                    res,
                    200,
                    s,
                    providers.get(ProviderPages.id(req)),
                    MappingForm.blank(),
                    Optional.empty())));
    r.post(
        BASE + "/new",
        web.form(
            (req, res, s, f) ->
                save(res, s, providers.get(ProviderPages.id(req)), f, Optional.empty())));
    r.get(
        BASE + "/{rule}/edit",
        web.page(
            (req, res, s) -> {
              WorkloadIdentityProvider p = providers.get(ProviderPages.id(req));
              FederationRule rule = rules.get(p.id(), rule(req));
              form(res, 200, s, p, MappingForm.of(rule), Optional.of(rule.id()));
            }));
    r.post(
        BASE + "/{rule}/edit",
        web.form(
            (req, res, s, f) -> {
              WorkloadIdentityProvider p = providers.get(ProviderPages.id(req));
              FederationRule rule = rules.get(p.id(), rule(req));
              save(res, s, p, f, Optional.of(rule.id()));
            }));
    r.post(BASE + "/{rule}/enabled", web.form(this::setEnabled));
    r.get(
        BASE + "/{rule}/delete",
        web.page(
            (req, res, s) -> {
              WorkloadIdentityProvider p = providers.get(ProviderPages.id(req));
              confirmDelete(res, s, p, rules.get(p.id(), rule(req)));
            }));
    r.post(BASE + "/{rule}/delete", web.form(this::delete));
  }

  private static String rule(ServerRequest req) {
    return Web.pathId(req, "rule");
  }

  /** The rows of the provider page's mappings table, with project and account names. */
  List<Views.MappingRow> rows(List<FederationRule> list) {
    Map<String, String> projectNames = new HashMap<>();
    List<Views.MappingRow> out = new ArrayList<>();
    for (FederationRule r : list) {
      String projectName =
          projectNames.computeIfAbsent(
              r.projectId(), id -> nameOrMissing(() -> projects.get(id).name()));
      String accountName =
          nameOrMissing(() -> accounts.get(r.projectId(), r.serviceAccountId()).name());
      out.add(Views.MappingRow.of(r, projectName, accountName));
    }
    return out;
  }

  private interface Name {
    String get();
  }

  private static String nameOrMissing(Name name) {
    try {
      return name.get();
    } catch (NotFoundException e) {
      return "(missing)";
    }
  }

  private List<Views.Choice> accountChoices() {
    List<Views.Choice> out = new ArrayList<>();
    for (Project project : activeProjects()) {
      for (ServiceAccount a :
          Listing.all(page -> accounts.list(project.id(), page), ServiceAccount::id)) {
        out.add(
            new Views.Choice(
                MappingForm.target(project.id(), a.id()),
                project.name() + " / " + a.name() + " (" + a.id() + ")"));
      }
    }
    return out;
  }

  private List<Project> activeProjects() {
    return Listing.all(page -> projects.list(page, false), Project::id);
  }

  private void form(
      ServerResponse res,
      int status,
      Session s,
      WorkloadIdentityProvider p,
      MappingForm form,
      Optional<String> editing) {
    String heading =
        editing.isPresent() ? "Edit service account mapping" : "Create a service account mapping";
    String base = web.base() + "/providers/" + p.id() + "/mappings/";
    String action = editing.map(id -> base + id + "/edit").orElse(base + "new");
    List<Views.Choice> accountChoices = accountChoices();
    List<Views.Choice> projectChoices =
        activeProjects().stream()
            .map(pr -> new Views.Choice(pr.id(), pr.name() + " (" + pr.id() + ")"))
            .toList();
    Web.render(
        res,
        status,
        out ->
            JtemappingFormGenerated.render(
                out,
                null,
                web.base(),
                form,
                heading,
                action,
                p.id(),
                p.name(),
                accountChoices,
                projectChoices,
                ScopeCatalogue.SCOPES,
                s.csrfToken()));
  }

  private void save(
      ServerResponse res,
      Session s,
      WorkloadIdentityProvider p,
      FormData data,
      Optional<String> editing) {
    MappingForm form = MappingForm.of(data);
    String op = data.text("op");
    if (op.equals("add")) {
      form(res, 200, s, p, form.withRowAdded(), editing);
      return;
    }
    if (op.startsWith("remove:")) {
      form(res, 200, s, p, form.withRowRemoved(ProviderPages.index(op)), editing);
      return;
    }
    try {
      form.attributeMatchers(); // refuses a key given twice before anything is created
      String[] target = target(s, form);
      form = form.withTarget(target[0], target[1]);
      FederationRule saved =
          editing.isPresent()
              ? rules.update(
                  p.id(),
                  editing.get(),
                  form.toPatch(target[0], target[1]),
                  notes.of(s, form.auditFields(target[0], target[1])))
              : rules.create(
                  p.id(),
                  form.toDraft(target[0], target[1]),
                  notes.of(s, form.auditFields(target[0], target[1])));
      Web.redirect(
          res,
          web.base()
              + "/providers/"
              + saved.providerId()
              + "?notice="
              + (editing.isPresent() ? "mapping-updated" : "mapping-created")
              // the provider page shows what RuleLint finds too broad in the mapping just saved
              + "&saved="
              + URLEncoder.encode(saved.id(), StandardCharsets.UTF_8));
    } catch (FormException e) {
      form(res, 400, s, p, form.withErrors(FieldErrors.of(e.field(), e.message())), editing);
    } catch (AdminValidationException e) {
      form(
          res,
          400,
          s,
          p,
          form.withErrors(FieldErrors.of(form.fieldOf(e.param()), e.getMessage())),
          editing);
    } catch (ConflictException e) {
      String field = e.param().map(form::fieldOf).orElse(FieldErrors.FORM);
      form(res, 409, s, p, form.withErrors(FieldErrors.of(field, e.getMessage())), editing);
    }
  }

  /** The project and service account ids the form names, creating them when asked to. */
  private String[] target(Session s, MappingForm form) {
    if (form.targetMode().equals(MappingForm.EXISTING)) {
      return form.existingTarget()
          .orElseThrow(
              () ->
                  new FormException(
                      "target_account", "Choose the project and service account to map to."));
    }
    if (form.newAccountName().isEmpty()) {
      throw new FormException("new_account_name", "Name the service account to create.");
    }
    // check both names before creating anything: a project created and then an account refused
    // would leave the project behind, and the resubmitted form would create a second one
    try {
      ProviderValidator.checkText("name", form.newAccountName(), ProviderValidator.MAX_TEXT);
    } catch (AdminValidationException e) {
      throw new FormException("new_account_name", e.getMessage());
    }
    if (form.newProject().isEmpty()) {
      try {
        ProviderValidator.checkText("name", form.newProjectName(), ProviderValidator.MAX_TEXT);
      } catch (AdminValidationException e) {
        throw new FormException("new_project_name", e.getMessage());
      }
    }
    String projectId = form.newProject();
    if (projectId.isEmpty()) {
      if (form.newProjectName().isEmpty()) {
        throw new FormException(
            "new_project_name", "Choose a project, or name the project to create.");
      }
      try {
        projectId =
            projects
                .create(form.newProjectName(), notes.of(s, Map.of("name", form.newProjectName())))
                .id();
      } catch (AdminValidationException e) {
        throw new FormException("new_project_name", e.getMessage());
      }
    }
    try {
      String accountId =
          accounts
              .create(
                  projectId,
                  form.newAccountName(),
                  notes.of(s, Map.of("name", form.newAccountName())))
              .id();
      return new String[] {projectId, accountId};
    } catch (AdminValidationException e) {
      throw new FormException("new_account_name", e.getMessage());
    }
  }

  private void setEnabled(ServerRequest req, ServerResponse res, Session s, FormData f) {
    WorkloadIdentityProvider p = providers.get(ProviderPages.id(req));
    boolean enabled = f.text("enabled").equals("true");
    rules.update(
        p.id(),
        rule(req),
        new RulePatch(
            Optional.empty(),
            Optional.empty(),
            Optional.of(enabled),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty()),
        notes.of(s, Map.of("enabled", enabled)));
    Web.redirect(
        res,
        web.base()
            + "/providers/"
            + p.id()
            + "?notice="
            + (enabled ? "mapping-enabled" : "mapping-disabled"));
  }

  private void confirmDelete(
      ServerResponse res, Session s, WorkloadIdentityProvider p, FederationRule r) {
    String back = web.base() + "/providers/" + p.id();
    Web.render(
        res,
        200,
        out ->
            JteconfirmGenerated.render(
                out,
                null,
                web.base(),
                "Delete mapping " + r.name().orElse(r.id()),
                "Delete the service account mapping '"
                    + r.name().orElse(r.id())
                    + "' of provider '"
                    + p.name()
                    + "'? Tokens it issued stop working at once. This cannot be undone.",
                back + "/mappings/" + r.id() + "/delete",
                back,
                "Delete mapping",
                "",
                s.csrfToken()));
  }

  private void delete(ServerRequest req, ServerResponse res, Session s, FormData f) {
    WorkloadIdentityProvider p = providers.get(ProviderPages.id(req));
    rules.delete(p.id(), rule(req), notes.of(s, Map.of("id", rule(req))));
    Web.redirect(res, web.base() + "/providers/" + p.id() + "?notice=mapping-deleted");
  }
}
