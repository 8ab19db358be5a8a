/**
 * Subject token verification (RFC 7515, RFC 7519, OpenID Connect Core §3.1.3.7 and Discovery §4):
 * the strict structural checks, the algorithm allow-list, key selection by {@code kid}, and the key
 * sources (uploaded JWKS or OIDC discovery with a background-refreshed, last-known-good cache).
 *
 * <p>Everything here fails closed: a rejection is a {@link dev.openwif.oidc.TokenRejectedException}
 * with a precise {@link dev.openwif.audit.ReasonCode}; an issuer whose keys cannot be obtained is
 * an {@link dev.openwif.oidc.IssuerUnavailableException}. No network I/O happens in this package
 * except through the {@link dev.openwif.oidc.JwksFetcher} port.
 */
@NullMarked
package dev.openwif.oidc;

import org.jspecify.annotations.NullMarked;
