/**
 * The token-exchange use case (RFC 8693): {@link dev.openwif.exchange.TokenExchange} takes a parsed
 * {@link dev.openwif.exchange.ExchangeRequest}, verifies the subject token against its provider,
 * derives attributes, matches a federation rule and mints an access token, emitting exactly one
 * audit event per attempt. It reads federation configuration only from the in-memory {@link
 * dev.openwif.exchange.InMemoryFederationDirectory}, never from the database. No HTTP types here.
 */
package dev.openwif.exchange;
