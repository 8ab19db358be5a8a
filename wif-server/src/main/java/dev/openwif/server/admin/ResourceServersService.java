package dev.openwif.server.admin;

import dev.openwif.federation.admin.ResourceServerAdmin;
import dev.openwif.server.http.RouteTable;
import java.util.Set;

/**
 * {@code /v1/organization/resource_servers}: create (answering the {@code client_secret} this one
 * time), list, retrieve, delete. A resource server's credential authenticates {@code POST
 * /oauth/introspect} only; deleting it stops the credential at once. Thread-safe.
 */
final class ResourceServersService {
  static final String PATH = "/resource_servers";
  private static final Set<String> CREATE = Set.of("name");

  private final AdminHttp http;
  private final AdminViews views;
  private final ResourceServerAdmin servers;

  ResourceServersService(AdminHttp http, AdminViews views, ResourceServerAdmin servers) {
    this.http = http;
    this.views = views;
    this.servers = servers;
  }

  /** Registers this service's routes (paths relative to {@link AdminApi#PREFIX}). */
  void register(RouteTable routes) {
    routes
        .post(
            PATH,
            http.guard(
                (req, res, caller) -> {
                  JsonFields body = http.body(req).allowOnly(CREATE);
                  http.ok(
                      res,
                      views.createdResourceServer(
                          servers.create(body.requiredString("name"), http.note(caller, body))));
                }))
        .get(
            PATH,
            http.guard(
                (req, res, caller) ->
                    http.ok(
                        res,
                        views.list(servers.list(ListParams.page(req)), views::resourceServer))))
        .get(
            PATH + "/{id}",
            http.guard(
                (req, res, caller) ->
                    http.ok(res, views.resourceServer(servers.get(ProjectsService.id(req, "id"))))))
        .delete(
            PATH + "/{id}",
            http.guard(
                (req, res, caller) -> {
                  String id = ProjectsService.id(req, "id");
                  servers.delete(id, http.note(caller));
                  http.ok(res, views.deleted("organization.resource_server.deleted", id));
                }));
  }
}
