/**
 * The audit contract: one event per admin change and per exchange attempt, never carrying a token,
 * a key or a secret (a SHA-256 prefix and the {@code jti} instead). A leaf package: it imports
 * nothing of the core.
 */
@NullMarked
package dev.openwif.audit;

import org.jspecify.annotations.NullMarked;
