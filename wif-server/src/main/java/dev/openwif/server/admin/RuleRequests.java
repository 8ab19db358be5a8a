package dev.openwif.server.admin;

import dev.openwif.federation.Permissions;
import dev.openwif.federation.admin.RuleDraft;
import dev.openwif.federation.admin.RulePatch;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns federation rule request bodies into {@link RuleDraft}s and {@link RulePatch}es, refusing
 * unknown members and wrong JSON types by name. Besides OpenAI's fields, {@code
 * clamp_to_subject_token_expiry} (boolean, default false) is accepted. Permissions default to
 * {@code service_account_default}. Stateless.
 */
final class RuleRequests {
  static final Set<String> FIELDS =
      Set.of(
          "name",
          "description",
          "enabled",
          "attribute_matchers",
          "project_id",
          "service_account_id",
          "permissions",
          "clamp_to_subject_token_expiry");

  private RuleRequests() {}

  static RuleDraft draft(JsonFields body) {
    body.allowOnly(FIELDS);
    return new RuleDraft(
        body.nullableString("name").flatMap(n -> n),
        body.nullableString("description").flatMap(d -> d),
        body.optionalBoolean("enabled").orElse(true),
        body.optionalScalarMap("attribute_matchers")
            .orElseThrow(
                () ->
                    BadRequestException.field(
                        "attribute_matchers", "Missing required parameter: 'attribute_matchers'.")),
        body.requiredString("project_id"),
        body.requiredString("service_account_id"),
        permissions(body).orElse(new Permissions.ServiceAccountDefault()),
        body.optionalBoolean("clamp_to_subject_token_expiry").orElse(false));
  }

  static RulePatch patch(JsonFields body) {
    body.allowOnly(FIELDS);
    return new RulePatch(
        body.nullableString("name"),
        body.nullableString("description"),
        body.optionalBoolean("enabled"),
        body.optionalScalarMap("attribute_matchers"),
        body.optionalString("project_id"),
        body.optionalString("service_account_id"),
        permissions(body),
        body.optionalBoolean("clamp_to_subject_token_expiry"));
  }

  private static Optional<Permissions> permissions(JsonFields body) {
    return body.optionalObject("permissions")
        .map(
            p -> {
              String type = p.requiredString("type");
              return switch (type) {
                case "service_account_default" -> {
                  p.allowOnly(Set.of("type"));
                  yield new Permissions.ServiceAccountDefault();
                }
                case "restricted" -> {
                  p.allowOnly(Set.of("type", "scopes"));
                  List<String> scopes =
                      p.optionalStringArray("scopes")
                          .orElseThrow(
                              () ->
                                  BadRequestException.field(
                                      "permissions.scopes",
                                      "Missing required parameter: 'permissions.scopes'."));
                  yield new Permissions.Restricted(Set.copyOf(scopes));
                }
                default ->
                    throw BadRequestException.field(
                        "permissions.type",
                        "permissions.type must be 'service_account_default' or 'restricted'.");
              };
            });
  }
}
