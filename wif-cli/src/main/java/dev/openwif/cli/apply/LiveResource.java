package dev.openwif.cli.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * An object the server has: its canonical form (as {@link Resource}), its id, the id of its project
 * or provider (for a service account or a rule), which its admin API paths need, and the object as
 * the server showed it when the state was read ({@code seen}), so that a change can be refused when
 * the object has changed since.
 */
public record LiveResource(Resource resource, String id, Optional<String> parentId, JsonNode seen) {
  public LiveResource {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(parentId, "parentId");
    Objects.requireNonNull(seen, "seen");
  }

  public Address address() {
    return resource.address();
  }
}
