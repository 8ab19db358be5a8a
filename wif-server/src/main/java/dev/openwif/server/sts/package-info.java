/**
 * The security token service: {@code POST /oauth/token} (RFC 8693), discovery and the JWKS of
 * OpenWIF's own access tokens, rate limits and admission control.
 */
@NullMarked
package dev.openwif.server.sts;

import org.jspecify.annotations.NullMarked;
