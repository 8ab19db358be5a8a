/**
 * The federation configuration as the hot path reads it: {@link
 * dev.openwif.directory.FederationDirectory} (the port: the {@link
 * dev.openwif.directory.FederationSnapshot} in force now), the state of each provider ({@link
 * dev.openwif.directory.ProviderState}: ready to verify with its key source and compiled
 * transformations, disabled, or misconfigured), and {@link
 * dev.openwif.directory.InMemoryFederationDirectory}, which rebuilds the snapshot from the
 * repositories after every committed change and swaps it in atomically. No HTTP or SQL types here.
 */
@NullMarked
package dev.openwif.directory;

import org.jspecify.annotations.NullMarked;
