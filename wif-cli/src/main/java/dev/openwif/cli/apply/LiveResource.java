package dev.openwif.cli.apply;

import java.util.Objects;
import java.util.Optional;

/**
 * An object the server has: its canonical form (as {@link Resource}), its id, and the id of its
 * project or provider (for a service account or a rule), which its admin API paths need.
 */
public record LiveResource(Resource resource, String id, Optional<String> parentId) {
  public LiveResource {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(parentId, "parentId");
  }

  public Address address() {
    return resource.address();
  }
}
