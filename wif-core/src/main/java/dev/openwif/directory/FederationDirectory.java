package dev.openwif.directory;

import java.util.Optional;

/**
 * Where the token exchange and the gateway read the federation configuration: the snapshot in force
 * now, without touching the database. {@link InMemoryFederationDirectory} is the implementation the
 * server wires; a test may pass a fixed snapshot. Implementations are thread-safe and never block.
 */
@FunctionalInterface
public interface FederationDirectory {
  /** The configuration in force now. Never blocks, never touches the database. */
  FederationSnapshot snapshot();

  /**
   * Why the snapshot may no longer be relied on, for the audit log and the debug log (empty while
   * it is fresh): it is older than its maximum age because the configuration could not be read
   * again. A fixed snapshot never goes stale. Never blocks.
   */
  default Optional<String> staleness() {
    return Optional.empty();
  }
}
