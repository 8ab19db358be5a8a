package dev.openwif.cli.apply;

import java.util.List;

/**
 * The kinds of object a configuration file names, in the order they are created (a rule needs its
 * provider and its service account; a service account its project). Deletions run in the reverse
 * order.
 */
public enum Kind {
  PROJECT("project"),
  SERVICE_ACCOUNT("service account"),
  PROVIDER("provider"),
  RULE("rule");

  private final String label;

  Kind(String label) {
    this.label = label;
  }

  /** How plans and errors name the kind. */
  public String label() {
    return label;
  }

  /** The fields an object of this kind has besides its name, in the order they are shown. */
  public List<String> fields() {
    return switch (this) {
      case PROJECT -> List.of();
      case SERVICE_ACCOUNT -> List.of("rate_limits");
      case PROVIDER ->
          List.of(
              "description",
              "issuer",
              "audience",
              "enabled",
              "verification",
              "attribute_transformations",
              "replay_protection",
              "managed");
      case RULE ->
          List.of(
              "description",
              "enabled",
              "attribute_matchers",
              "project",
              "service_account",
              "permissions",
              "clamp_to_subject_token_expiry",
              "managed");
    };
  }

  /** Whether prune may delete objects of this kind (only kinds that can carry the managed mark). */
  public boolean markable() {
    return fields().contains("managed");
  }
}
