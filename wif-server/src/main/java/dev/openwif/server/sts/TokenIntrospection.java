package dev.openwif.server.sts;

import dev.openwif.directory.FederationDirectory;
import dev.openwif.directory.FederationSnapshot;
import dev.openwif.federation.FederationRule;
import dev.openwif.token.AccessTokenRejectedException;
import dev.openwif.token.AccessTokenVerifier;
import dev.openwif.token.VerifiedAccessToken;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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

  /**
   * An active token and the scopes it may use now: those it carries that its rule still grants (the
   * gateway's rule, decision 9), so narrowing a rule shows here at once.
   */
  record Active(VerifiedAccessToken token, Set<String> scopes) {
    Active {
      scopes = Set.copyOf(scopes);
    }
  }

  /** The token's verified claims when it is active now, else empty. */
  Optional<Active> active(String token) {
    VerifiedAccessToken verified;
    try {
      verified = verifier.verify(token);
    } catch (AccessTokenRejectedException e) {
      LOG.debug("introspection: token inactive: {}", e.getMessage());
      return Optional.empty();
    }
    FederationSnapshot snapshot = directory.snapshot();
    Optional<String> stale = directory.staleness();
    if (stale.isPresent()) {
      // the gateway's rule: a token cannot be re-checked against a snapshot past its maximum age
      LOG.debug("introspection: token jti={} inactive (snapshot_stale): {}", verified.jti(), stale);
      return Optional.empty();
    }
    Optional<String> revoked =
        snapshot.revocationReason(verified.providerId(), verified.ruleId(), verified.subject());
    FederationRule rule = snapshot.enabledRules().get(verified.ruleId());
    if (revoked.isPresent() || rule == null) {
      LOG.debug(
          "introspection: token jti={} inactive: {}",
          verified.jti(),
          revoked.orElse("its rule is gone"));
      return Optional.empty();
    }
    Set<String> scopes = new TreeSet<>(verified.scopes());
    scopes.retainAll(rule.permissions().grantedScopes());
    return Optional.of(new Active(verified, scopes));
  }

  String issuer() {
    return verifier.issuer();
  }

  String audience() {
    return verifier.audience();
  }
}
