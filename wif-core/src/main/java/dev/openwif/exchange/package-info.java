/**
 * The token-exchange use case (RFC 8693): {@link dev.openwif.exchange.TokenExchange} takes a parsed
 * {@link dev.openwif.exchange.ExchangeRequest}, verifies the subject token against its provider,
 * derives attributes, matches a federation rule and mints an access token, emitting exactly one
 * audit event per attempt. Requests refused before the exchange runs (malformed, unsupported grant,
 * rate limited, overloaded, a server fault around it) are audited by {@link
 * dev.openwif.exchange.EarlyRefusals}. It reads federation configuration only through the {@link
 * dev.openwif.directory.FederationDirectory} port, never from the database. No HTTP types here.
 */
@NullMarked
package dev.openwif.exchange;

import org.jspecify.annotations.NullMarked;
