package dev.openwif.cli.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a configuration file into a {@link DesiredState}, checking its shape: the keys each object
 * may have, their types, the required ones, and names given twice. Every refusal is one {@link
 * ConfigFileException} naming the file, the line and the field. What the server checks (CEL, issuer
 * URLs, scopes) is left to it, and its refusal is named the same way when the plan is applied.
 * Stateless.
 */
public final class ConfigReader {
  /** The format's version, the value of the optional top-level {@code version} key. */
  public static final int VERSION = 1;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> TOP = Set.of("version", "projects", "providers");
  private static final Set<String> PROJECT = Set.of("name", "service_accounts");
  private static final Set<String> ACCOUNT = Set.of("name", "rate_limits");
  private static final Set<String> LIMITS =
      Set.of("max_requests_per_1_minute", "max_tokens_per_1_minute");
  private static final Set<String> PROVIDER =
      Set.of(
          "name",
          "description",
          "issuer",
          "audience",
          "enabled",
          "verification",
          "attribute_transformations",
          "replay_protection",
          "managed",
          "rules");
  private static final Set<String> RULE =
      Set.of(
          "name",
          "description",
          "enabled",
          "attribute_matchers",
          "project",
          "service_account",
          "permissions",
          "clamp_to_subject_token_expiry",
          "managed");

  private final LocatedYaml file;
  private final List<Resource> resources = new ArrayList<>();

  private ConfigReader(LocatedYaml file) {
    this.file = file;
  }

  /** Parses and checks {@code text}; {@code source} names it in errors. */
  public static DesiredState read(String source, String text) {
    LocatedYaml file = LocatedYaml.parse(source, text);
    ConfigReader reader = new ConfigReader(file);
    reader.document();
    return new DesiredState(file, reader.resources);
  }

  private void document() {
    ObjectNode root = object("", file.root(), TOP);
    JsonNode version = root.get("version");
    if (version != null && !(version.isIntegralNumber() && version.asInt() == VERSION)) {
      throw file.error("/version", "must be " + VERSION + " (the only version of this format)");
    }
    List<ObjectNode> projects = list("/projects", root.get("projects"));
    Set<String> projectNames = new HashSet<>();
    List<ObjectNode> providers = list("/providers", root.get("providers"));
    for (int i = 0; i < projects.size(); i++) {
      String at = "/projects/" + i;
      ObjectNode project = object(at, projects.get(i), PROJECT);
      String name = name(at, project, projectNames);
      resources.add(new Resource(Address.project(name), NODES.objectNode(), at(at)));
      Set<String> accountNames = new HashSet<>();
      List<ObjectNode> accounts = list(at + "/service_accounts", project.get("service_accounts"));
      for (int j = 0; j < accounts.size(); j++) {
        account(at + "/service_accounts/" + j, name, accounts.get(j), accountNames);
      }
    }
    Set<String> providerNames = new HashSet<>();
    for (int i = 0; i < providers.size(); i++) {
      provider("/providers/" + i, providers.get(i), providerNames);
    }
  }

  private void account(String at, String project, JsonNode node, Set<String> names) {
    ObjectNode account = object(at, node, ACCOUNT);
    String name = name(at, account, names);
    ObjectNode fields = NODES.objectNode();
    JsonNode limits = account.get("rate_limits");
    if (limits != null && !limits.isNull()) {
      ObjectNode checked = object(at + "/rate_limits", limits, LIMITS);
      for (String limit : LIMITS) {
        JsonNode value = checked.get(limit);
        if (value != null
            && !value.isNull()
            && !(value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 0)) {
          throw file.error(at + "/rate_limits/" + limit, "must be a whole number >= 0 or null");
        }
      }
      fields.set("rate_limits", checked);
    }
    add(Address.account(project, name), fields, at);
  }

  private void provider(String at, JsonNode node, Set<String> names) {
    ObjectNode provider = object(at, node, PROVIDER);
    String name = name(at, provider, names);
    ObjectNode fields = NODES.objectNode();
    optionalText(at, provider, "description", fields);
    fields.put("issuer", requiredText(at, provider, "issuer"));
    fields.put("audience", requiredText(at, provider, "audience"));
    optionalBoolean(at, provider, "enabled", fields);
    optionalBoolean(at, provider, "replay_protection", fields);
    optionalBoolean(at, provider, "managed", fields);
    JsonNode verification = provider.get("verification");
    if (verification != null) {
      fields.set("verification", verification(at + "/verification", verification));
    }
    List<ObjectNode> transformations =
        list(at + "/attribute_transformations", provider.get("attribute_transformations"));
    var checked = NODES.arrayNode();
    for (int i = 0; i < transformations.size(); i++) {
      String t = at + "/attribute_transformations/" + i;
      ObjectNode item = object(t, transformations.get(i), Set.of("attribute", "expression"));
      checked
          .addObject()
          .put("attribute", requiredText(t, item, "attribute"))
          .put("expression", requiredText(t, item, "expression"));
    }
    fields.set("attribute_transformations", checked);
    add(Address.provider(name), fields, at);
    Set<String> ruleNames = new HashSet<>();
    List<ObjectNode> rules = list(at + "/rules", provider.get("rules"));
    for (int i = 0; i < rules.size(); i++) {
      rule(at + "/rules/" + i, name, rules.get(i), ruleNames);
    }
  }

  private ObjectNode verification(String at, JsonNode node) {
    ObjectNode v = object(at, node, Set.of("type", "discovery_url", "jwks"));
    String type = requiredText(at, v, "type");
    ObjectNode out = NODES.objectNode().put("type", type);
    switch (type) {
      case "discovery" -> {
        object(at, v, Set.of("type", "discovery_url"));
        optionalText(at, v, "discovery_url", out);
      }
      case "uploaded_jwks" -> {
        object(at, v, Set.of("type", "jwks"));
        JsonNode jwks = v.get("jwks");
        if (jwks == null || !jwks.isObject()) {
          throw file.error(at + "/jwks", "required: the JWK set, as a mapping with 'keys'");
        }
        out.set("jwks", jwks);
      }
      default -> throw file.error(at + "/type", "must be 'discovery' or 'uploaded_jwks'");
    }
    return out;
  }

  private void rule(String at, String provider, JsonNode node, Set<String> names) {
    ObjectNode rule = object(at, node, RULE);
    String name = name(at, rule, names);
    ObjectNode fields = NODES.objectNode();
    optionalText(at, rule, "description", fields);
    optionalBoolean(at, rule, "enabled", fields);
    optionalBoolean(at, rule, "clamp_to_subject_token_expiry", fields);
    optionalBoolean(at, rule, "managed", fields);
    JsonNode matchers = rule.get("attribute_matchers");
    if (matchers == null || !matchers.isObject() || matchers.isEmpty()) {
      throw file.error(
          at + "/attribute_matchers",
          "required: a mapping of claim or openai.* attribute names to values (at least one)");
    }
    for (var m : matchers.properties()) {
      JsonNode v = m.getValue();
      if (!(v.isTextual() || v.isBoolean() || v.isNumber())) {
        throw file.error(
            at + "/attribute_matchers/" + LocatedYaml.escape(m.getKey()),
            "must be a string, a boolean or a number");
      }
    }
    fields.set("attribute_matchers", matchers);
    fields.put("project", requiredText(at, rule, "project"));
    fields.put("service_account", requiredText(at, rule, "service_account"));
    JsonNode permissions = rule.get("permissions");
    if (permissions != null) {
      fields.set("permissions", permissions(at + "/permissions", permissions));
    }
    add(Address.rule(provider, name), fields, at);
  }

  private ObjectNode permissions(String at, JsonNode node) {
    ObjectNode p = object(at, node, Set.of("type", "scopes"));
    String type = requiredText(at, p, "type");
    return switch (type) {
      case "service_account_default" -> {
        object(at, p, Set.of("type"));
        yield NODES.objectNode().put("type", type);
      }
      case "restricted" -> {
        JsonNode scopes = p.get("scopes");
        if (scopes == null || !scopes.isArray() || scopes.isEmpty()) {
          throw file.error(at + "/scopes", "required for restricted: a list of scopes");
        }
        for (int i = 0; i < scopes.size(); i++) {
          if (!scopes.get(i).isTextual()) {
            throw file.error(at + "/scopes/" + i, "must be a string");
          }
        }
        ObjectNode out = NODES.objectNode().put("type", type);
        out.set("scopes", scopes);
        yield out;
      }
      default ->
          throw file.error(at + "/type", "must be 'service_account_default' or 'restricted'");
    };
  }

  private void add(Address address, ObjectNode fields, String at) {
    resources.add(new Resource(address, Defaults.canonical(address.kind(), fields), at(at)));
  }

  private static java.util.Optional<String> at(String pointer) {
    return java.util.Optional.of(pointer);
  }

  private String name(String at, ObjectNode node, Set<String> seen) {
    String name = requiredText(at, node, "name");
    if (!seen.add(name)) {
      throw file.error(at + "/name", "'" + name + "' is named twice");
    }
    return name;
  }

  private ObjectNode object(String at, JsonNode node, Set<String> allowed) {
    if (!node.isObject()) {
      throw file.error(at, "must be a mapping");
    }
    for (String key : (Iterable<String>) node::fieldNames) {
      if (!allowed.contains(key)) {
        throw file.error(
            at + "/" + LocatedYaml.escape(key),
            "unknown field (expected one of "
                + String.join(", ", allowed.stream().sorted().toList())
                + ")");
      }
    }
    return (ObjectNode) node;
  }

  private List<ObjectNode> list(String at, JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw file.error(at, "must be a list");
    }
    List<ObjectNode> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      if (!node.get(i).isObject()) {
        throw file.error(at + "/" + i, "must be a mapping");
      }
      out.add((ObjectNode) node.get(i));
    }
    return out;
  }

  private String requiredText(String at, ObjectNode node, String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      throw file.error(at + "/" + key, "required");
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw file.error(at + "/" + key, "must be a non-empty string");
    }
    return value.asText();
  }

  private void optionalText(String at, ObjectNode node, String key, ObjectNode into) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return;
    }
    if (!value.isTextual()) {
      throw file.error(at + "/" + key, "must be a string");
    }
    into.put(key, value.asText());
  }

  private void optionalBoolean(String at, ObjectNode node, String key, ObjectNode into) {
    JsonNode value = node.get(key);
    if (value == null) {
      return;
    }
    if (!value.isBoolean()) {
      throw file.error(at + "/" + key, "must be true or false");
    }
    into.put(key, value.asBoolean());
  }
}
