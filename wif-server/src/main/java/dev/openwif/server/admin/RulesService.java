package dev.openwif.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.federation.FederationRule;
import dev.openwif.federation.admin.RuleAdmin;
import dev.openwif.federation.admin.RuleLint;
import dev.openwif.server.http.RouteTable;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code /v1/organization/workload_identity_providers/{provider_id}/federation_rules}: create, list
 * ({@code limit}, {@code after}, {@code order}, {@code service_account_id}), retrieve, partial
 * update ({@code null} clears {@code name} and {@code description}), delete. Answers carry {@code
 * ETag}; updates and deletes honour {@code If-Match} ({@link EntityTags}). Creates and updates
 * answer {@code warnings} when the saved rule matches too broadly ({@link RuleLint}). Thread-safe.
 */
public final class RulesService {
  private static final String BASE = "/workload_identity_providers/{provider_id}/federation_rules";

  private final AdminHttp http;
  private final AdminViews views;
  private final RuleAdmin rules;

  RulesService(AdminHttp http, AdminViews views, RuleAdmin rules) {
    this.http = http;
    this.views = views;
    this.rules = rules;
  }

  /**
   * The saved rule as the API shows it, its ETag (of that view, as a read gives it), then {@code
   * warnings}: what {@link RuleLint} finds too broad in it, each {@code {code, message}}; an empty
   * array when nothing is.
   */
  private ObjectNode withWarnings(ServerResponse res, FederationRule rule) {
    ObjectNode view = views.rule(rule);
    EntityTags.tagged(res, view);
    ArrayNode warnings = view.putArray("warnings");
    for (RuleLint.Warning w : RuleLint.check(rule.attributeMatchers())) {
      warnings.addObject().put("code", w.code()).put("message", w.message());
    }
    return view;
  }

  /** Registers this service's routes (paths relative to {@link AdminApi#PREFIX}). */
  void register(RouteTable r) {
    r.post(
            BASE,
            http.guard(
                (req, res, caller) -> {
                  JsonFields body = http.body(req);
                  http.send(
                      res,
                      200,
                      withWarnings(
                          res,
                          rules.create(
                              ProjectsService.id(req, "provider_id"),
                              RuleRequests.draft(body),
                              http.note(caller, body))));
                }))
        .get(
            BASE,
            http.guard(
                (req, res, caller) ->
                    http.ok(
                        res,
                        views.list(
                            rules.list(
                                ProjectsService.id(req, "provider_id"),
                                ListParams.id(req, "service_account_id"),
                                ListParams.page(req)),
                            views::rule))))
        .get(
            BASE + "/{id}",
            http.guard(
                (req, res, caller) ->
                    http.ok(
                        res,
                        EntityTags.tagged(
                            res,
                            views.rule(
                                rules.get(
                                    ProjectsService.id(req, "provider_id"),
                                    ProjectsService.id(req, "id")))))))
        .post(
            BASE + "/{id}",
            http.guard(
                (req, res, caller) -> {
                  JsonFields body = http.body(req);
                  http.ok(
                      res,
                      withWarnings(
                          res,
                          rules.update(
                              ProjectsService.id(req, "provider_id"),
                              ProjectsService.id(req, "id"),
                              RuleRequests.patch(body),
                              http.note(caller, body),
                              EntityTags.ifMatch(req, views::rule))));
                }))
        .delete(
            BASE + "/{id}",
            http.guard(
                (req, res, caller) -> {
                  String id = ProjectsService.id(req, "id");
                  rules.delete(
                      ProjectsService.id(req, "provider_id"),
                      id,
                      http.note(caller),
                      EntityTags.ifMatch(req, views::rule));
                  http.ok(
                      res,
                      views.deleted("organization.workload_identity_federation_rule.deleted", id));
                }));
  }
}
