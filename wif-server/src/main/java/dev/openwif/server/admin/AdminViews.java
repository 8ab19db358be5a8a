package dev.openwif.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.federation.AttributeTransformation;
import dev.openwif.federation.FederationRule;
import dev.openwif.federation.Page;
import dev.openwif.federation.Permissions;
import dev.openwif.federation.Project;
import dev.openwif.federation.ResourceServer;
import dev.openwif.federation.ServiceAccount;
import dev.openwif.federation.Verification;
import dev.openwif.federation.WorkloadIdentityProvider;
import dev.openwif.federation.admin.ResourceServerAdmin;
import java.math.BigDecimal;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Renders admin objects in OpenAI's admin API shapes ({@code organization.project}, {@code
 * organization.project.service_account}, {@code organization.workload_identity_provider}, {@code
 * organization.workload_identity_federation_rule}, lists and deleted objects). Times are Unix
 * seconds. Thread-safe.
 */
final class AdminViews {
  private final ObjectMapper json;

  AdminViews(ObjectMapper json) {
    this.json = json;
  }

  ObjectNode project(Project p) {
    ObjectNode o = json.createObjectNode();
    o.put("object", "organization.project");
    o.put("id", p.id());
    o.put("name", p.name());
    o.put("created_at", p.createdAt().getEpochSecond());
    if (p.archivedAt().isPresent()) {
      o.put("archived_at", p.archivedAt().get().getEpochSecond());
    } else {
      o.putNull("archived_at");
    }
    o.put("status", p.status());
    return o;
  }

  /** A service account; {@code api_key} is always null: OpenWIF never mints long-lived keys. */
  ObjectNode serviceAccount(ServiceAccount a) {
    ObjectNode o = json.createObjectNode();
    o.put("object", "organization.project.service_account");
    o.put("id", a.id());
    o.put("name", a.name());
    o.put("role", a.role());
    o.put("created_at", a.createdAt().getEpochSecond());
    o.putNull("api_key");
    ObjectNode limits = o.putObject("rate_limits");
    putLimit(limits, "max_requests_per_1_minute", a.rateLimits().maxRequestsPerMinute());
    putLimit(limits, "max_tokens_per_1_minute", a.rateLimits().maxTokensPerMinute());
    return o;
  }

  private static void putLimit(ObjectNode o, String name, OptionalLong value) {
    if (value.isPresent()) {
      o.put(name, value.getAsLong());
    } else {
      o.putNull(name);
    }
  }

  ObjectNode provider(WorkloadIdentityProvider p) {
    ObjectNode o = json.createObjectNode();
    o.put("object", "organization.workload_identity_provider");
    o.put("id", p.id());
    o.put("name", p.name());
    o.put("description", p.description().orElse(null));
    o.put("type", "oidc");
    o.put("issuer", p.issuer());
    o.put("audience", p.audience());
    o.put("enabled", p.enabled());
    ArrayNode transformations = o.putArray("attribute_transformations");
    for (AttributeTransformation t : p.attributeTransformations()) {
      transformations.addObject().put("attribute", t.attribute()).put("expression", t.expression());
    }
    ObjectNode verification = o.putObject("verification");
    switch (p.verification()) {
      case Verification.Discovery d -> {
        verification.put("type", "discovery");
        verification.put("discovery_url", d.discoveryUrl().orElse(null));
      }
      case Verification.UploadedJwks j -> {
        verification.put("type", "uploaded_jwks");
        verification.set("jwks", parse(j.jwksJson()));
      }
    }
    o.put("replay_protection", p.replayProtection());
    o.put("created_at", p.createdAt().getEpochSecond());
    o.put("updated_at", p.updatedAt().getEpochSecond());
    return o;
  }

  ObjectNode rule(FederationRule r) {
    ObjectNode o = json.createObjectNode();
    o.put("object", "organization.workload_identity_federation_rule");
    o.put("id", r.id());
    o.put("workload_identity_provider_id", r.providerId());
    o.put("name", r.name().orElse(null));
    o.put("description", r.description().orElse(null));
    o.put("enabled", r.enabled());
    ObjectNode matchers = o.putObject("attribute_matchers");
    r.attributeMatchers()
        .forEach(
            (k, v) -> {
              switch (v) {
                case String s -> matchers.put(k, s);
                case Boolean b -> matchers.put(k, b);
                case BigDecimal d -> matchers.put(k, d);
                default -> matchers.put(k, v.toString());
              }
            });
    o.put("project_id", r.projectId());
    o.put("service_account_id", r.serviceAccountId());
    ObjectNode permissions = o.putObject("permissions");
    switch (r.permissions()) {
      case Permissions.ServiceAccountDefault d ->
          permissions.put("type", "service_account_default");
      case Permissions.Restricted x -> {
        permissions.put("type", "restricted");
        ArrayNode scopes = permissions.putArray("scopes");
        x.scopes().forEach(scopes::add);
      }
    }
    o.put("clamp_to_subject_token_expiry", r.clampToSubjectTokenExpiry());
    o.put("created_at", r.createdAt().getEpochSecond());
    o.put("updated_at", r.updatedAt().getEpochSecond());
    return o;
  }

  /**
   * A resource server: its {@code client_id} is its id; the secret shows only as {@code
   * secret_prefix} (its first characters), except once, as {@code client_secret}, on creation.
   */
  ObjectNode resourceServer(ResourceServer r) {
    ObjectNode o = json.createObjectNode();
    o.put("object", "organization.resource_server");
    o.put("id", r.id());
    o.put("client_id", r.id());
    o.put("name", r.name());
    o.put("secret_prefix", r.displayPrefix());
    o.put("created_at", r.createdAt().getEpochSecond());
    return o;
  }

  /** The answer to a creation: the resource server and, this once, its {@code client_secret}. */
  ObjectNode createdResourceServer(ResourceServerAdmin.Created created) {
    ObjectNode o = resourceServer(created.server());
    o.put("client_secret", created.secret());
    return o;
  }

  ObjectNode deleted(String object, String id) {
    ObjectNode o = json.createObjectNode();
    o.put("id", id);
    o.put("deleted", true);
    o.put("object", object);
    return o;
  }

  /** {@code {"object": "list", "data", "first_id", "last_id", "has_more"}}. */
  <T> ObjectNode list(Page<T> page, Function<T, ObjectNode> view) {
    return list(page.data().stream().map(view).toList(), page.hasMore());
  }

  ObjectNode list(List<ObjectNode> items, boolean hasMore) {
    ObjectNode o = json.createObjectNode();
    o.put("object", "list");
    ArrayNode data = o.putArray("data");
    items.forEach(data::add);
    o.put("first_id", items.isEmpty() ? null : items.getFirst().get("id").asText());
    o.put("last_id", items.isEmpty() ? null : items.getLast().get("id").asText());
    o.put("has_more", hasMore);
    return o;
  }

  private JsonNode parse(String text) {
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JWKS is not JSON", e);
    }
  }
}
