package dev.openwif.oidc;

import java.util.Optional;

/**
 * Told when a fetch of an issuer's keys (discovery document, then JWKS) ended: the port through
 * which key fetching reports to metrics and to the outage log without core knowing either.
 * Implementations are called on the fetch thread, must be thread-safe, must not block and must not
 * throw.
 */
@FunctionalInterface
public interface IssuerFetchListener {
  /** Ignores every fetch. */
  IssuerFetchListener NONE = (providerId, issuer, failure) -> {};

  /**
   * Reports that one fetch ended.
   *
   * @param providerId the provider whose key source fetched (an admin-chosen id)
   * @param issuer the provider's issuer
   * @param failure why the fetch failed (the issuer's URL and what was wrong, never a token); empty
   *     when it brought keys
   */
  void fetchEnded(String providerId, String issuer, Optional<String> failure);
}
