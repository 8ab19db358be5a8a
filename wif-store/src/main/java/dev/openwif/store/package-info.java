/**
 * SQLite and PostgreSQL implementations of the core's persistence ports, behind {@link
 * dev.openwif.store.Stores#open(String)}. One Flyway schema serves both databases; {@link
 * dev.openwif.store.Dialect} is the only place where their SQL or behaviour differs.
 *
 * <p>Instants are stored as epoch milliseconds, so they come back truncated to the millisecond.
 * Lists and maps of the records are kept in child tables (no JSON library): transformations,
 * matchers (with their value type: string, boolean or number) and scopes.
 */
@NullMarked
package dev.openwif.store;

import org.jspecify.annotations.NullMarked;
