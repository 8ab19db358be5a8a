package dev.openwif.cli.apply;

import java.util.List;

/**
 * The kinds of object a configuration file names, in the order they are created (a rule needs its
 * provider and its service account; a service account its project). Deletions run in the reverse
 * order.
 */
public enum Kind {
  PROJECT("project", List.of()),
  SERVICE_ACCOUNT("service account", List.of("rate_limits")),
  PROVIDER(
      "provider",
      List.of(
          "description",
          "issuer",
          "audience",
          "enabled",
          "verification",
          "attribute_transformations",
          "replay_protection",
          "managed")),
  RULE(
      "rule",
      List.of(
          "description",
          "enabled",
          "attribute_matchers",
          "project",
          "service_account",
          "permissions",
          "clamp_to_subject_token_expiry",
          "managed"));

  private final String label;
  private final List<String> fields;

  Kind(String label, List<String> fields) {
    this.label = label;
    this.fields = fields;
  }

  /** How plans and errors name the kind. */
  public String label() {
    return label;
  }

  /** The fields an object of this kind has besides its name, in the order they are shown. */
  public List<String> fields() {
    return fields;
  }

  /** Whether prune may delete objects of this kind (only kinds that can carry the managed mark). */
  public boolean markable() {
    return fields.contains("managed");
  }
}
