package dev.openwif.oidc;

import com.nimbusds.jose.jwk.JWK;
import java.util.Optional;

/**
 * Supplies an issuer's public verification key by {@code kid} (RFC 7515 §4.1.4). The key is chosen
 * by {@code kid} alone; there is no "try every key". Implementations are thread-safe.
 */
public interface KeySource {
  /**
   * The public key named {@code kid}, or empty when the issuer does not publish it. Never waits for
   * the network: it may start a fetch (an unknown kid, respecting a cool-down) and answers from the
   * keys at hand; call {@link #prepare} first, outside any scarce slot, to wait for that fetch.
   *
   * @throws IssuerUnavailableException when the keys were never obtained (or are too stale)
   */
  Optional<JWK> keyFor(String kid);

  /**
   * Waits, for a short bounded time, until a {@link #keyFor} of {@code kid} (when known) can be
   * answered without a fetch: starts the fetch that is needed (keys missing, too old, or without
   * {@code kid}) unless one runs already, and waits for it. Never throws; what it could not obtain
   * shows in the following {@link #keyFor}. Does nothing for keys that never change.
   *
   * @param kid the {@code kid} of the token about to be verified, when it could be read
   */
  default void prepare(Optional<String> kid) {}
}
