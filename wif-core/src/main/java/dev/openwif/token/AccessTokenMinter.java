package dev.openwif.token;

import com.nimbusds.jose.jwk.ECKey;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Signs access tokens as ES256 JWTs (RFC 9068 profile, header {@code typ: at+jwt}) with the current
 * {@link SigningKeys} key. Claims: {@code iss, sub, aud, iat, exp, jti}, {@code scope} (space
 * separated, sorted), {@code client_id} when present, and the private {@code wif_provider}, {@code
 * wif_rule}, {@code wif_project}, {@code wif_ext_sub}. Times are whole seconds (truncated). The key
 * signs only after passing {@link SigningKeySelfTest} (when it was created and when it became the
 * signing key), so a minted token is not verified again: that cost more than signing. The claims
 * are written by {@link ClaimsJson} and signed by {@link Es256CompactSigner} (no general-purpose
 * JOSE objects per token). Thread-safe.
 */
public final class AccessTokenMinter {
  private final SigningKeys keys;
  private final Clock clock;
  private volatile @Nullable Es256CompactSigner signer; // made on first use, replaced on rotation

  public AccessTokenMinter(SigningKeys keys, Clock clock) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Signs an access token carrying {@code claims} with the current signing key.
   *
   * @throws IllegalArgumentException when the claims have already expired
   * @throws IllegalStateException when signing fails (a server fault)
   */
  public MintedAccessToken mint(AccessTokenClaims claims) {
    Objects.requireNonNull(claims, "claims");
    if (!claims.expiresAt().isAfter(clock.instant())) {
      throw new IllegalArgumentException(
          "the access token would already be expired at " + claims.expiresAt());
    }
    String token = signer().sign(payload(claims));
    return new MintedAccessToken(token, claims.jti(), seconds(claims.expiresAt()));
  }

  private static byte[] payload(AccessTokenClaims c) {
    ClaimsJson json =
        new ClaimsJson()
            .string("iss", c.issuer())
            .string("sub", c.subject())
            .string("aud", c.audience())
            .number("iat", seconds(c.issuedAt()).getEpochSecond())
            .number("exp", seconds(c.expiresAt()).getEpochSecond())
            .string("jti", c.jti())
            .string(AccessTokenClaimNames.SCOPE, String.join(" ", new TreeSet<>(c.scopes())))
            .string(AccessTokenClaimNames.PROVIDER, c.providerId())
            .string(AccessTokenClaimNames.RULE, c.ruleId())
            .string(AccessTokenClaimNames.PROJECT, c.projectId())
            .string(AccessTokenClaimNames.EXTERNAL_SUBJECT, c.externalSubject());
    c.clientId().ifPresent(id -> json.string(AccessTokenClaimNames.CLIENT_ID, id));
    return json.toUtf8();
  }

  private Es256CompactSigner signer() {
    ECKey key = keys.current();
    Es256CompactSigner cached = signer;
    if (cached != null && cached.kid().equals(key.getKeyID())) {
      return cached;
    }
    Es256CompactSigner fresh = new Es256CompactSigner(key, AccessTokenClaimNames.TYP);
    signer = fresh;
    return fresh;
  }

  private static Instant seconds(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS);
  }
}
