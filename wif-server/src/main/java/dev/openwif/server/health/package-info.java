/**
 * Readiness: whether this node should receive traffic ({@code /readyz}), from cheap checks of what
 * it needs: its database, a fresh federation snapshot, its signing key, its issuers' keys.
 */
@NullMarked
package dev.openwif.server.health;

import org.jspecify.annotations.NullMarked;
