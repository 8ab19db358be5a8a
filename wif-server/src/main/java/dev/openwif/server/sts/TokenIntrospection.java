package dev.openwif.server.sts;

import dev.openwif.directory.FederationDirectory;
import dev.openwif.token.AccessTokenRejectedException;
import dev.openwif.token.AccessTokenVerifier;
import dev.openwif.token.VerifiedAccessToken;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether an access token is active (RFC 7662 §2.2) with exactly the gateway's check: the
 * {@link AccessTokenVerifier} (signature by one of our keys, issuer, audience, {@code iat}, {@code
 * exp}; cached per token) and then, on every call, the current snapshot's {@link
 * dev.openwif.directory.FederationSnapshot#revocationReason revocation check} (provider enabled,
 * rule enabled and still mapping that provider to that service account, account in a live project).
 * Why a token is inactive is logged at DEBUG with its {@code jti} when known, never the token.
 * Thread-safe.
 */
final class TokenIntrospection {
  private static final Logger LOG = LoggerFactory.getLogger(TokenIntrospection.class);

  private final AccessTokenVerifier verifier;
  private final FederationDirectory directory;

  TokenIntrospection(AccessTokenVerifier verifier, FederationDirectory directory) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  /** The token's verified claims when it is active now, else empty. */
  Optional<VerifiedAccessToken> active(String token) {
    VerifiedAccessToken verified;
    try {
      verified = verifier.verify(token);
    } catch (AccessTokenRejectedException e) {
      LOG.debug("introspection: token inactive: {}", e.getMessage());
      return Optional.empty();
    }
    Optional<String> revoked =
        directory
            .snapshot()
            .revocationReason(verified.providerId(), verified.ruleId(), verified.subject());
    if (revoked.isPresent()) {
      LOG.debug("introspection: token jti={} inactive: {}", verified.jti(), revoked.get());
      return Optional.empty();
    }
    return Optional.of(verified);
  }

  String issuer() {
    return verifier.issuer();
  }

  String audience() {
    return verifier.audience();
  }
}
