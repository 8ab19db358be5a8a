package dev.openwif.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openwif.federation.AttributeTransformation;
import dev.openwif.federation.Verification;
import dev.openwif.federation.admin.ProviderDraft;
import dev.openwif.federation.admin.ProviderPatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns provider request bodies into {@link ProviderDraft}s and {@link ProviderPatch}es, refusing
 * unknown members and wrong JSON types by name. {@code type} may be sent and must be {@code oidc}.
 * Stateless.
 */
final class ProviderRequests {
  static final Set<String> FIELDS =
      Set.of(
          "name",
          "description",
          "type",
          "issuer",
          "audience",
          "enabled",
          "attribute_transformations",
          "verification",
          "replay_protection");

  private ProviderRequests() {}

  static ProviderDraft draft(JsonFields body) {
    body.allowOnly(FIELDS);
    checkType(body);
    return new ProviderDraft(
        body.requiredString("name"),
        body.nullableString("description").flatMap(d -> d),
        body.requiredString("issuer"),
        body.requiredString("audience"),
        body.optionalBoolean("enabled").orElse(true),
        transformations(body).orElse(List.of()),
        verification(body).orElse(new Verification.Discovery(Optional.empty())),
        body.optionalBoolean("replay_protection").orElse(false));
  }

  static ProviderPatch patch(JsonFields body) {
    body.allowOnly(FIELDS);
    checkType(body);
    return new ProviderPatch(
        body.optionalString("name"),
        body.nullableString("description"),
        body.optionalString("issuer"),
        body.optionalString("audience"),
        body.optionalBoolean("enabled"),
        transformations(body),
        verification(body),
        body.optionalBoolean("replay_protection"));
  }

  private static void checkType(JsonFields body) {
    body.optionalString("type")
        .filter(t -> !t.equals("oidc"))
        .ifPresent(
            t -> {
              throw BadRequestException.field("type", "type must be 'oidc'.");
            });
  }

  private static Optional<List<AttributeTransformation>> transformations(JsonFields body) {
    return body.optionalArray("attribute_transformations")
        .map(
            items -> {
              List<AttributeTransformation> out = new ArrayList<>(items.size());
              for (int i = 0; i < items.size(); i++) {
                JsonFields t =
                    JsonFields.object(items.get(i), "attribute_transformations[" + i + "]")
                        .allowOnly(Set.of("attribute", "expression"));
                out.add(
                    new AttributeTransformation(
                        t.requiredString("attribute"), t.requiredString("expression")));
              }
              return out;
            });
  }

  private static Optional<Verification> verification(JsonFields body) {
    return body.optionalObject("verification")
        .map(
            v -> {
              String type = v.requiredString("type");
              return switch (type) {
                case "discovery" -> {
                  v.allowOnly(Set.of("type", "discovery_url"));
                  yield new Verification.Discovery(
                      v.nullableString("discovery_url").flatMap(u -> u));
                }
                case "uploaded_jwks" -> {
                  v.allowOnly(Set.of("type", "jwks"));
                  JsonNode jwks = v.requiredObject("jwks").raw();
                  yield new Verification.UploadedJwks(jwks.toString());
                }
                default ->
                    throw BadRequestException.field(
                        "verification.type",
                        "verification.type must be 'discovery' or 'uploaded_jwks'.");
              };
            });
  }
}
