package dev.openwif.federation;

/**
 * Makes new object ids such as {@code wip_3f9a...}; injected so tests can make them predictable.
 */
@FunctionalInterface
public interface IdGenerator {
  /** A new unique id starting with {@code prefix} and an underscore. */
  String next(String prefix);
}
