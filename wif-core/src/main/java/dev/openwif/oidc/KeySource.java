package dev.openwif.oidc;

import com.nimbusds.jose.jwk.JWK;
import java.util.Optional;

/**
 * Supplies an issuer's public verification key by {@code kid} (RFC 7515 §4.1.4). The key is chosen
 * by {@code kid} alone; there is no "try every key". Implementations are thread-safe.
 */
public interface KeySource {
  /**
   * The public key named {@code kid}, or empty when the issuer does not publish it. May refresh the
   * issuer's keys once on an unknown kid (respecting a cool-down).
   *
   * @throws IssuerUnavailableException when the keys were never obtained (or are too stale) and
   *     cannot be fetched now
   */
  Optional<JWK> keyFor(String kid);
}
