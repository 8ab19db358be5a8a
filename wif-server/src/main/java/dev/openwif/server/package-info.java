/**
 * The composition root: {@code Main} builds and wires every object of the server by hand, {@code
 * WifServer} binds the listener and owns the lifecycle, {@code FederationSync} tells listeners of
 * committed changes and re-syncs from the store.
 */
@NullMarked
package dev.openwif.server;

import org.jspecify.annotations.NullMarked;
