/**
 * The access tokens OpenWIF issues (RFC 9068): their claims, minting with the current signing key,
 * verification, and the signing keys and their (encrypted) storage port.
 */
@NullMarked
package dev.openwif.token;

import org.jspecify.annotations.NullMarked;
