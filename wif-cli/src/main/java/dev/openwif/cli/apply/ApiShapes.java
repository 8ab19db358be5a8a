package dev.openwif.cli.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Translates between the admin API's JSON objects and {@link Resource}s: the server's objects into
 * canonical form (ids of projects and service accounts replaced by their names, the managed mark
 * taken out of the description), and resources into creation and update bodies (names replaced by
 * ids, the mark put back). Stateless.
 */
public final class ApiShapes {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ApiShapes() {}

  /** A project ({@code organization.project}). */
  public static Resource project(JsonNode json) {
    return new Resource(
        Address.project(json.path("name").asText()), NODES.objectNode(), Optional.empty());
  }

  /** A service account of the project named {@code project}. */
  public static Resource account(String project, JsonNode json) {
    ObjectNode fields = NODES.objectNode();
    JsonNode limits = json.path("rate_limits");
    if (limits.isObject()) {
      fields.set("rate_limits", limits);
    }
    return new Resource(
        Address.account(project, json.path("name").asText()),
        Defaults.canonical(Kind.SERVICE_ACCOUNT, fields),
        Optional.empty());
  }

  /** A provider ({@code organization.workload_identity_provider}). */
  public static Resource provider(JsonNode json) {
    ObjectNode fields = NODES.objectNode();
    describe(json, fields);
    fields.put("issuer", json.path("issuer").asText());
    fields.put("audience", json.path("audience").asText());
    fields.set("enabled", json.path("enabled"));
    fields.set("verification", json.path("verification"));
    fields.set("attribute_transformations", json.path("attribute_transformations"));
    fields.set("replay_protection", json.path("replay_protection"));
    return new Resource(
        Address.provider(json.path("name").asText()),
        Defaults.canonical(Kind.PROVIDER, fields),
        Optional.empty());
  }

  /**
   * A rule of the provider named {@code provider}; {@code accounts} names each service account id
   * (as its address). A rule with no name gets its id as name, so that it is never taken for one
   * the file names.
   */
  public static Resource rule(String provider, JsonNode json, Map<String, Address> accounts) {
    ObjectNode fields = NODES.objectNode();
    describe(json, fields);
    fields.set("enabled", json.path("enabled"));
    fields.set("attribute_matchers", json.path("attribute_matchers"));
    String accountId = json.path("service_account_id").asText();
    Address account = accounts.get(accountId);
    fields.put(
        "project",
        account == null ? "(project " + json.path("project_id").asText() + ")" : account.parent());
    fields.put(
        "service_account",
        account == null ? "(service account " + accountId + ")" : account.name());
    fields.set("permissions", json.path("permissions"));
    fields.set("clamp_to_subject_token_expiry", json.path("clamp_to_subject_token_expiry"));
    String name =
        json.path("name").isTextual() ? json.path("name").asText() : json.path("id").asText();
    return new Resource(
        Address.rule(provider, name), Defaults.canonical(Kind.RULE, fields), Optional.empty());
  }

  private static void describe(JsonNode json, ObjectNode fields) {
    JsonNode d = json.path("description");
    Optional<String> stored = d.isTextual() ? Optional.of(d.asText()) : Optional.empty();
    ManagedMark.withoutMark(stored).ifPresent(text -> fields.put("description", text));
    fields.put("managed", ManagedMark.marked(stored));
  }

  /**
   * The body that creates {@code r} (all its fields, defaults included); {@code ids} resolves
   * names.
   */
  public static ObjectNode createBody(Resource r, IdBook ids) {
    return body(r, r.kind().fields(), ids, true);
  }

  /** The body that changes {@code fields} of {@code r} to the file's values. */
  public static ObjectNode updateBody(Resource r, List<FieldChange> fields, IdBook ids) {
    return body(r, fields.stream().map(FieldChange::field).toList(), ids, false);
  }

  private static ObjectNode body(Resource r, List<String> fields, IdBook ids, boolean create) {
    ObjectNode body = NODES.objectNode();
    if (create) {
      body.put("name", r.address().name());
    }
    if (create && r.kind() == Kind.SERVICE_ACCOUNT) {
      body.put("create_service_account_only", true);
    }
    for (String field : fields) {
      switch (field) {
        case "description", "managed" -> {
          Optional<String> text = r.value("description").map(JsonNode::asText);
          Optional<String> stored = ManagedMark.stored(text, r.managed());
          if (stored.isPresent()) {
            body.put("description", stored.get());
          } else if (!create) {
            body.putNull("description");
          }
        }
        case "rate_limits" -> {
          JsonNode limits = r.value("rate_limits").orElseGet(NODES::objectNode);
          ObjectNode out = body.putObject("rate_limits");
          for (String limit : List.of("max_requests_per_1_minute", "max_tokens_per_1_minute")) {
            out.set(
                limit, limits.path(limit).isMissingNode() ? NODES.nullNode() : limits.get(limit));
          }
        }
        case "project", "service_account" -> {
          String project = r.value("project").orElseThrow().asText();
          String account = r.value("service_account").orElseThrow().asText();
          body.put("project_id", ids.id(Address.project(project)));
          body.put("service_account_id", ids.id(Address.account(project, account)));
        }
        default -> r.value(field).ifPresent(value -> body.set(field, value));
      }
    }
    if (r.kind() == Kind.PROVIDER && create) {
      body.put("type", "oidc");
    }
    return body;
  }
}
