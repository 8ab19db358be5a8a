package dev.openwif.cli.apply;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A server's state built from objects in the admin API's own JSON shapes (as its views render
 * them), for tests of the plan without a server.
 */
final class ServerObjects {
  static final ObjectMapper JSON = new ObjectMapper();

  private final List<LiveResource> resources = new ArrayList<>();
  private final Map<String, Address> accounts = new HashMap<>();
  private int next = 1;

  static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  String project(String name) {
    String id = "proj_" + next++;
    ObjectNode o = json("{\"id\":\"" + id + "\",\"name\":\"" + name + "\"}");
    resources.add(new LiveResource(ApiShapes.project(o), id, Optional.empty(), o));
    return id;
  }

  String account(String projectId, String project, String name) {
    String id = "user-" + next++;
    ObjectNode o =
        json(
            "{\"id\":\""
                + id
                + "\",\"name\":\""
                + name
                + "\",\"rate_limits\":{\"max_requests_per_1_minute\":null,"
                + "\"max_tokens_per_1_minute\":null}}");
    Resource r = ApiShapes.account(project, o);
    accounts.put(id, r.address());
    resources.add(new LiveResource(r, id, Optional.of(projectId), o));
    return id;
  }

  /** A provider as the server renders it; {@code extra} replaces or adds fields. */
  String provider(
      String name, String description, String issuer, String transformation, String extra) {
    String id = "wip_" + next++;
    ObjectNode o =
        json(
            """
            {"object":"organization.workload_identity_provider","id":"%s","name":"%s",
             "description":%s,"type":"oidc","issuer":"%s","audience":"https://api.openai.com/v1",
             "enabled":true,
             "attribute_transformations":[{"attribute":"%s","expression":"assertion.sub"}],
             "verification":{"type":"discovery","discovery_url":null},
             "replay_protection":false,"created_at":1,"updated_at":1}
            """
                .formatted(id, name, quote(description), issuer, transformation));
    o.setAll(json("{" + extra + "}"));
    resources.add(new LiveResource(ApiShapes.provider(o), id, Optional.empty(), o));
    return id;
  }

  String rule(
      String providerId,
      String provider,
      String name,
      String description,
      String matchers,
      String projectId,
      String accountId,
      String extra) {
    String id = "wifr_" + next++;
    ObjectNode o =
        json(
            """
            {"object":"organization.workload_identity_federation_rule","id":"%s",
             "workload_identity_provider_id":"%s","name":%s,"description":%s,"enabled":true,
             "attribute_matchers":%s,"project_id":"%s","service_account_id":"%s",
             "permissions":{"type":"service_account_default"},
             "clamp_to_subject_token_expiry":false,"created_at":1,"updated_at":1}
            """
                .formatted(
                    id,
                    providerId,
                    quote(name),
                    quote(description),
                    matchers,
                    projectId,
                    accountId));
    o.setAll(json("{" + extra + "}"));
    resources.add(
        new LiveResource(ApiShapes.rule(provider, o, accounts), id, Optional.of(providerId), o));
    return id;
  }

  LiveState state() {
    return new LiveState(resources);
  }

  private static String quote(String text) {
    if (text == null) {
      return "null";
    }
    try {
      return JSON.writeValueAsString(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The guide's set-up as {@code wif apply -f examples/guide.yaml} leaves it on the server. */
  static ServerObjects guideApplied() {
    ServerObjects s = new ServerObjects();
    String project = s.project("openai-wif-demo");
    String compute =
        s.account(project, "openai-wif-demo", "google-workload-identity-prod-openai-wif");
    String gke = s.account(project, "openai-wif-demo", "google-gke-prod-openai-wif");
    String p1 =
        s.provider(
            "google-workload-identity-prod",
            "Production Google Cloud workloads " + ManagedMark.MARK,
            "http://127.0.0.1:8081",
            "subject",
            "");
    s.rule(
        p1,
        "google-workload-identity-prod",
        "compute-openai-wif",
        "Production Compute Engine OpenAI API workload " + ManagedMark.MARK,
        "{\"sub\":\"167824049208407505931\",\"email\":\"openai-wif@my-project.iam.gserviceaccount.com\"}",
        project,
        compute,
        "");
    String p2 =
        s.provider(
            "google-gke-prod",
            "Production GKE cluster " + ManagedMark.MARK,
            "http://127.0.0.1:8082",
            "gke_subject",
            "");
    s.rule(
        p2,
        "google-gke-prod",
        "default-openai-wif",
        "Default namespace GKE OpenAI API workload " + ManagedMark.MARK,
        "{\"sub\":\"system:serviceaccount:default:openai-wif\"}",
        project,
        gke,
        "");
    return s;
  }
}
