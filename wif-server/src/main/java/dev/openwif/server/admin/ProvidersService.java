package dev.openwif.server.admin;

import dev.openwif.federation.admin.ProviderAdmin;
import dev.openwif.server.http.RouteTable;

/**
 * {@code /v1/organization/workload_identity_providers}: create, list ({@code limit}, {@code after},
 * {@code order}), retrieve, partial update ({@code POST}; only supplied fields change, {@code null}
 * clears {@code description}), delete (409 with {@code x-should-retry: false} while rules remain).
 * Besides OpenAI's fields, {@code replay_protection} (boolean, default false) is accepted. Answers
 * carry {@code ETag}; updates and deletes honour {@code If-Match} ({@link EntityTags}).
 * Thread-safe.
 */
public final class ProvidersService {
  private final AdminHttp http;
  private final AdminViews views;
  private final ProviderAdmin providers;
  private final ProviderUrlCheck urlCheck;

  ProvidersService(
      AdminHttp http, AdminViews views, ProviderAdmin providers, ProviderUrlCheck urlCheck) {
    this.urlCheck = urlCheck;
    this.http = http;
    this.views = views;
    this.providers = providers;
  }

  /** Registers this service's routes (paths relative to {@link AdminApi#PREFIX}). */
  void register(RouteTable rules) {
    rules
        .post(
            "/workload_identity_providers",
            http.guard(
                (req, res, caller) -> {
                  JsonFields body = http.body(req);
                  var draft = ProviderRequests.draft(body);
                  urlCheck.check(draft);
                  http.send(
                      res,
                      200,
                      EntityTags.tagged(
                          res, views.provider(providers.create(draft, http.note(caller, body)))));
                }))
        .get(
            "/workload_identity_providers",
            http.guard(
                (req, res, caller) ->
                    http.ok(
                        res, views.list(providers.list(ListParams.page(req)), views::provider))))
        .get(
            "/workload_identity_providers/{id}",
            http.guard(
                (req, res, caller) ->
                    http.ok(
                        res,
                        EntityTags.tagged(
                            res, views.provider(providers.get(ProjectsService.id(req, "id")))))))
        .post(
            "/workload_identity_providers/{id}",
            http.guard(
                (req, res, caller) -> {
                  JsonFields body = http.body(req);
                  var patch = ProviderRequests.patch(body);
                  urlCheck.check(patch);
                  http.ok(
                      res,
                      EntityTags.tagged(
                          res,
                          views.provider(
                              providers.update(
                                  ProjectsService.id(req, "id"),
                                  patch,
                                  http.note(caller, body),
                                  EntityTags.ifMatch(req, views::provider)))));
                }))
        .delete(
            "/workload_identity_providers/{id}",
            http.guard(
                (req, res, caller) -> {
                  String id = ProjectsService.id(req, "id");
                  providers.delete(id, http.note(caller), EntityTags.ifMatch(req, views::provider));
                  http.ok(
                      res, views.deleted("organization.workload_identity_provider.deleted", id));
                }));
  }
}
