/**
 * What both emulators share: an RSA signing key that can be persisted so a printed JWKS stays
 * valid, the OpenID Connect discovery document (OpenID Connect Discovery 1.0 §3) and the small HTTP
 * server they run on.
 *
 * <p>This module is a faithful outside party: it depends on the JDK, Nimbus and Helidon only, never
 * on the OpenWIF core, store or server.
 */
@NullMarked
package dev.openwif.emulator;

import org.jspecify.annotations.NullMarked;
