package dev.openwif.exchange;

import dev.openwif.audit.ReasonCode;
import dev.openwif.directory.ProviderState;
import dev.openwif.federation.FederationRule;
import dev.openwif.federation.IdGenerator;
import dev.openwif.federation.ServiceAccount;
import dev.openwif.oidc.VerifiedSubjectToken;
import dev.openwif.token.AccessTokenClaims;
import dev.openwif.token.AccessTokenMinter;
import dev.openwif.token.AccessTokenProfile;
import dev.openwif.token.MintedAccessToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The last step of {@link TokenExchange}: the access token's lifetime (the profile's, clamped to
 * the subject token's expiry when the rule says so), its claims, the signature, and the outcome the
 * client is answered with. Thread-safe.
 */
final class AccessTokenIssuance {
  private final AccessTokenMinter minter;
  private final IdGenerator ids;
  private final Clock clock;
  private final AccessTokenProfile profile;

  AccessTokenIssuance(
      AccessTokenMinter minter, IdGenerator ids, Clock clock, AccessTokenProfile profile) {
    this.minter = Objects.requireNonNull(minter, "minter");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.profile = Objects.requireNonNull(profile, "profile");
  }

  /**
   * Mints the access token for {@code account} under {@code rule}; refuses when no time is left.
   */
  ExchangeOutcome.Issued issue(
      ExchangeRequest request,
      ProviderState.Active provider,
      FederationRule rule,
      ServiceAccount account,
      VerifiedSubjectToken token) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    MintedAccessToken minted = mint(request, now, provider, rule, account, token);
    return issued(minted, now, provider, rule, account);
  }

  /**
   * Refuses, before anything is charged or remembered, a token its rule would clamp to an access
   * token living less than 1 s ({@link ReasonCode#EXPIRED}): a policy failure like a missing rule.
   */
  void checkLifetime(FederationRule rule, VerifiedSubjectToken token) {
    checkLifetime(clock, profile, rule, token);
  }

  /**
   * {@link #checkLifetime(FederationRule, VerifiedSubjectToken)} for {@code explain}, which mints
   * nothing and so has no issuance.
   *
   * @return when the access token would expire
   */
  static Instant checkLifetime(
      Clock clock, AccessTokenProfile profile, FederationRule rule, VerifiedSubjectToken token) {
    return expiresAt(clock.instant().truncatedTo(ChronoUnit.SECONDS), profile, rule, token);
  }

  private static Instant expiresAt(
      Instant now, AccessTokenProfile profile, FederationRule rule, VerifiedSubjectToken token) {
    Instant expiresAt = now.plus(profile.lifetime());
    if (rule.clampToSubjectTokenExpiry() && token.expiresAt().isBefore(expiresAt)) {
      expiresAt = token.expiresAt();
    }
    if (Duration.between(now, expiresAt).toSeconds() < 1) {
      throw Refusal.invalidGrant(
          ReasonCode.EXPIRED,
          "rule "
              + rule.id()
              + " clamps the access token to the subject token's exp "
              + token.expiresAt()
              + ", which leaves less than 1 s");
    }
    return expiresAt;
  }

  private MintedAccessToken mint(
      ExchangeRequest request,
      Instant now,
      ProviderState.Active provider,
      FederationRule rule,
      ServiceAccount account,
      VerifiedSubjectToken token) {
    Instant expiresAt = expiresAt(now, profile, rule, token);
    return minter.mint(
        new AccessTokenClaims(
            profile.issuer(),
            account.id(),
            profile.audience(),
            now,
            expiresAt,
            ids.next("at"),
            rule.permissions().grantedScopes(),
            provider.provider().id(),
            rule.id(),
            account.projectId(),
            token.subject().orElse(""),
            request.clientId()));
  }

  private ExchangeOutcome.Issued issued(
      MintedAccessToken minted,
      Instant mintedAt,
      ProviderState.Active provider,
      FederationRule rule,
      ServiceAccount account) {
    long expiresIn = Math.max(1, Duration.between(mintedAt, minted.expiresAt()).toSeconds());
    return new ExchangeOutcome.Issued(
        minted.token(),
        expiresIn,
        minted.expiresAt(),
        minted.jti(),
        provider.provider().id(),
        rule.id(),
        account.id(),
        rule.permissions().grantedScopes());
  }
}
