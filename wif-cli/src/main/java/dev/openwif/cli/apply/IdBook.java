package dev.openwif.cli.apply;

import java.util.HashMap;
import java.util.Map;

/**
 * The server ids of the objects a plan touches, by address: those the server had, and those the
 * plan creates as it goes (a rule needs the id of a service account created a moment before). Not
 * thread-safe.
 */
public final class IdBook {
  private final Map<Address, String> ids = new HashMap<>();

  public IdBook(LiveState live) {
    live.resources().forEach(r -> ids.putIfAbsent(r.address(), r.id()));
  }

  public void put(Address address, String id) {
    ids.put(address, id);
  }

  /** The id of {@code address}; the plan made sure it exists. */
  public String id(Address address) {
    String id = ids.get(address);
    if (id == null) {
      throw new IllegalStateException("no id for " + address);
    }
    return id;
  }
}
