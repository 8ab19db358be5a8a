package dev.openwif.server.admin;

import dev.openwif.federation.admin.ProjectAdmin;
import dev.openwif.federation.admin.RateLimitsPatch;
import dev.openwif.federation.admin.ServiceAccountAdmin;
import dev.openwif.server.http.RouteTable;
import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /v1/organization/projects} and their {@code service_accounts}: create, list, retrieve,
 * update (name), archive; service accounts create, list, retrieve, update (name and {@code
 * rate_limits}: {@code max_requests_per_1_minute}, {@code max_tokens_per_1_minute}), delete.
 * Service accounts never get a long-lived API key ({@code api_key} is null; {@code
 * create_service_account_only} is accepted and has no other effect). Projects and service accounts
 * answer {@code ETag}; renames, archives, updates and deletes honour {@code If-Match} ({@link
 * EntityTags}). Thread-safe.
 */
public final class ProjectsService {
  private static final Set<String> NAME_ONLY = Set.of("name");
  private static final Set<String> ACCOUNT_CREATE =
      Set.of("name", "create_service_account_only", ServiceAccountAdmin.RATE_LIMITS);
  private static final Set<String> ACCOUNT_UPDATE = Set.of("name", ServiceAccountAdmin.RATE_LIMITS);
  private static final Set<String> LIMIT_FIELDS =
      Set.of(RateLimitsPatch.REQUESTS_FIELD, RateLimitsPatch.TOKENS_FIELD);

  private final AdminHttp http;
  private final AdminViews views;
  private final ProjectAdmin projects;
  private final ServiceAccountAdmin accounts;

  ProjectsService(
      AdminHttp http, AdminViews views, ProjectAdmin projects, ServiceAccountAdmin accounts) {
    this.http = http;
    this.views = views;
    this.projects = projects;
    this.accounts = accounts;
  }

  /** Registers this service's routes (paths relative to {@link AdminApi#PREFIX}). */
  void register(RouteTable rules) {
    rules
        .post(
            "/projects",
            http.guard(
                (req, res, caller) -> {
                  JsonFields body = http.body(req).allowOnly(NAME_ONLY);
                  http.send(
                      res,
                      200,
                      EntityTags.tagged(
                          res,
                          views.project(
                              projects.create(
                                  body.requiredString("name"), http.note(caller, body)))));
                }))
        .get(
            "/projects",
            http.guard(
                (req, res, caller) -> {
                  boolean includeArchived =
                      ListParams.query(req, "include_archived").map("true"::equals).orElse(false);
                  http.ok(
                      res,
                      views.list(
                          projects.list(ListParams.page(req), includeArchived), views::project));
                }))
        .get(
            "/projects/{project_id}",
            http.guard(
                (req, res, caller) ->
                    http.ok(
                        res,
                        EntityTags.tagged(
                            res, views.project(projects.get(id(req, "project_id")))))))
        .post(
            "/projects/{project_id}",
            http.guard(
                (req, res, caller) -> {
                  JsonFields body = http.body(req).allowOnly(NAME_ONLY);
                  http.ok(
                      res,
                      EntityTags.tagged(
                          res,
                          views.project(
                              projects.rename(
                                  id(req, "project_id"),
                                  body.requiredString("name"),
                                  http.note(caller, body),
                                  EntityTags.ifMatch(req, views::project)))));
                }))
        .post(
            "/projects/{project_id}/archive",
            http.guard(
                (req, res, caller) ->
                    http.ok(
                        res,
                        EntityTags.tagged(
                            res,
                            views.project(
                                projects.archive(
                                    id(req, "project_id"),
                                    http.note(caller),
                                    EntityTags.ifMatch(req, views::project)))))))
        .post(
            "/projects/{project_id}/service_accounts",
            http.guard(
                (req, res, caller) -> {
                  JsonFields body = http.body(req).allowOnly(ACCOUNT_CREATE);
                  body.optionalBoolean("create_service_account_only");
                  http.send(
                      res,
                      200,
                      EntityTags.tagged(
                          res,
                          views.serviceAccount(
                              accounts.create(
                                  id(req, "project_id"),
                                  body.requiredString("name"),
                                  rateLimits(body),
                                  http.note(caller, body)))));
                }))
        .get(
            "/projects/{project_id}/service_accounts",
            http.guard(
                (req, res, caller) ->
                    http.ok(
                        res,
                        views.list(
                            accounts.list(id(req, "project_id"), ListParams.page(req)),
                            views::serviceAccount))))
        .get(
            "/projects/{project_id}/service_accounts/{id}",
            http.guard(
                (req, res, caller) ->
                    http.ok(
                        res,
                        EntityTags.tagged(
                            res,
                            views.serviceAccount(
                                accounts.get(id(req, "project_id"), id(req, "id")))))))
        .post(
            "/projects/{project_id}/service_accounts/{id}",
            http.guard(
                (req, res, caller) -> {
                  JsonFields body = http.body(req).allowOnly(ACCOUNT_UPDATE);
                  Optional<String> name =
                      body.has(ServiceAccountAdmin.RATE_LIMITS)
                          ? body.optionalString("name")
                          : Optional.of(body.requiredString("name"));
                  http.ok(
                      res,
                      EntityTags.tagged(
                          res,
                          views.serviceAccount(
                              accounts.update(
                                  id(req, "project_id"),
                                  id(req, "id"),
                                  name,
                                  rateLimits(body),
                                  http.note(caller, body),
                                  EntityTags.ifMatch(req, views::serviceAccount)))));
                }))
        .delete(
            "/projects/{project_id}/service_accounts/{id}",
            http.guard(
                (req, res, caller) -> {
                  accounts.delete(
                      id(req, "project_id"),
                      id(req, "id"),
                      http.note(caller),
                      EntityTags.ifMatch(req, views::serviceAccount));
                  http.ok(
                      res,
                      views.deleted("organization.project.service_account.deleted", id(req, "id")));
                }));
  }

  /**
   * The {@code rate_limits} member: absent keeps the limits, {@code null} clears both, an object
   * sets, clears ({@code null}) or keeps (absent) each of {@code max_requests_per_1_minute} and
   * {@code max_tokens_per_1_minute}.
   */
  private static RateLimitsPatch rateLimits(JsonFields body) {
    if (!body.has(ServiceAccountAdmin.RATE_LIMITS)) {
      return RateLimitsPatch.none();
    }
    if (body.isNull(ServiceAccountAdmin.RATE_LIMITS)) {
      return RateLimitsPatch.clearAll();
    }
    JsonFields limits =
        body.requiredObject(ServiceAccountAdmin.RATE_LIMITS).allowOnly(LIMIT_FIELDS);
    return new RateLimitsPatch(
        limits.nullableWholeNumber(RateLimitsPatch.REQUESTS_FIELD),
        limits.nullableWholeNumber(RateLimitsPatch.TOKENS_FIELD));
  }

  /**
   * A path id; one holding control characters (which no id has, and a database may refuse) is a
   * 400.
   */
  static String id(ServerRequest req, String name) {
    String id = req.path().pathParameters().get(name);
    if (ListParams.hasControl(id)) {
      throw BadRequestException.field(name, name + " must be an object id.");
    }
    return id;
  }
}
