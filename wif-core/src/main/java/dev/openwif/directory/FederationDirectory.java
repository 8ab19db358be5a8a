package dev.openwif.directory;

/**
 * Where the token exchange and the gateway read the federation configuration: the snapshot in force
 * now, without touching the database. {@link InMemoryFederationDirectory} is the implementation the
 * server wires; a test may pass a fixed snapshot. Implementations are thread-safe and never block.
 */
@FunctionalInterface
public interface FederationDirectory {
  /** The configuration in force now. Never blocks, never touches the database. */
  FederationSnapshot snapshot();
}
