package dev.openwif.cli.apply;

import java.util.List;
import java.util.Objects;

/**
 * What names one object across the file and the server: a project or a provider by its name, a
 * service account by its project's name and its own, a rule by its provider's name and its own.
 */
public record Address(Kind kind, List<String> names) {
  public Address {
    Objects.requireNonNull(kind, "kind");
    names = List.copyOf(names);
    int expected = kind == Kind.PROJECT || kind == Kind.PROVIDER ? 1 : 2;
    if (names.size() != expected) {
      throw new IllegalArgumentException(kind + " needs " + expected + " names: " + names);
    }
  }

  public static Address project(String name) {
    return new Address(Kind.PROJECT, List.of(name));
  }

  public static Address account(String project, String name) {
    return new Address(Kind.SERVICE_ACCOUNT, List.of(project, name));
  }

  public static Address provider(String name) {
    return new Address(Kind.PROVIDER, List.of(name));
  }

  public static Address rule(String provider, String name) {
    return new Address(Kind.RULE, List.of(provider, name));
  }

  /** The object's own name. */
  public String name() {
    return names.getLast();
  }

  /** The enclosing project's or provider's name (for a service account or a rule). */
  public String parent() {
    return names.getFirst();
  }

  /** {@code provider google-gke-prod}, {@code rule google-gke-prod / default-openai-wif}. */
  @Override
  public String toString() {
    return kind.label() + " " + String.join(" / ", names);
  }
}
