package dev.openwif.federation;

import java.time.Instant;
import java.util.Objects;

/**
 * An API that accepts OpenWIF access tokens and may ask the server about them ({@code POST
 * /oauth/introspect}, RFC 7662): its {@code client_id} ({@code id}, e.g. {@code rs_...}), a name
 * for people, and only the SHA-256 of its secret (hex) plus the secret's first characters for
 * display. The secret is a 256-bit random value, so an unsalted fast hash is enough to make the
 * stored value useless. A resource-server credential authenticates introspection only: it is not an
 * admin key and opens nothing under {@code /v1/organization}.
 */
public record ResourceServer(
    String id, String name, String secretHash, String displayPrefix, Instant createdAt) {
  /** How a resource server's secret starts. */
  public static final String SECRET_PREFIX = "wifrs_";

  public ResourceServer {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(secretHash, "secretHash");
    Objects.requireNonNull(displayPrefix, "displayPrefix");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  @Override
  public String toString() {
    return "ResourceServer[id=" + id + ", name=" + name + ", createdAt=" + createdAt + "]";
  }
}
