package dev.openwif.cli.apply;

import java.util.List;
import java.util.Optional;

/**
 * Everything the server has that a configuration file can name (active projects, their service
 * accounts, providers and their rules), in canonical form. Immutable.
 */
public record LiveState(List<LiveResource> resources) {
  public LiveState {
    resources = List.copyOf(resources);
  }

  /** The objects at {@code address} (more than one when the server has two of the same name). */
  public List<LiveResource> at(Address address) {
    return resources.stream().filter(r -> r.address().equals(address)).toList();
  }

  /** The one object at {@code address}, if there is exactly one. */
  public Optional<LiveResource> one(Address address) {
    List<LiveResource> found = at(address);
    return found.size() == 1 ? Optional.of(found.getFirst()) : Optional.empty();
  }
}
