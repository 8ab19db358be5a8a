/**
 * Outbound adapters: the HTTP JWKS and discovery fetcher and the guard that keeps it off private,
 * loopback and link-local addresses outside dev mode.
 */
@NullMarked
package dev.openwif.server.infra;

import org.jspecify.annotations.NullMarked;
