package dev.openwif.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Signs access tokens as ES256 JWTs (RFC 9068 profile, header {@code typ: at+jwt}) with the current
 * {@link SigningKeys} key. Claims: {@code iss, sub, aud, iat, exp, jti}, {@code scope} (space
 * separated, sorted), {@code client_id} when present, and the private {@code wif_provider}, {@code
 * wif_rule}, {@code wif_project}, {@code wif_ext_sub}. Times are whole seconds (truncated). The key
 * signs only after passing {@link SigningKeySelfTest} (when it was created and when it became the
 * signing key), so a minted token is not verified again: that cost more than signing. Thread-safe.
 */
public final class AccessTokenMinter {
  private final SigningKeys keys;
  private final Clock clock;
  private volatile @Nullable KeyPairTools tools; // created on first use, replaced on rotation

  private record KeyPairTools(String kid, ECDSASigner signer) {}

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
    KeyPairTools current = tools();
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.ES256)
            .keyID(current.kid())
            .type(new JOSEObjectType(AccessTokenClaimNames.TYP))
            .build();
    JWTClaimsSet body = claimsSet(claims);
    SignedJWT jwt = new SignedJWT(header, body);
    try {
      jwt.sign(current.signer());
      String token = jwt.serialize();
      return new MintedAccessToken(token, claims.jti(), seconds(claims.expiresAt()));
    } catch (JOSEException e) {
      throw new IllegalStateException("access token signing failed: " + e.getMessage(), e);
    }
  }

  private static JWTClaimsSet claimsSet(AccessTokenClaims c) {
    JWTClaimsSet.Builder builder =
        new JWTClaimsSet.Builder()
            .issuer(c.issuer())
            .subject(c.subject())
            .audience(c.audience())
            .issueTime(Date.from(seconds(c.issuedAt())))
            .expirationTime(Date.from(seconds(c.expiresAt())))
            .jwtID(c.jti())
            .claim(AccessTokenClaimNames.SCOPE, String.join(" ", new TreeSet<>(c.scopes())))
            .claim(AccessTokenClaimNames.PROVIDER, c.providerId())
            .claim(AccessTokenClaimNames.RULE, c.ruleId())
            .claim(AccessTokenClaimNames.PROJECT, c.projectId())
            .claim(AccessTokenClaimNames.EXTERNAL_SUBJECT, c.externalSubject());
    c.clientId().ifPresent(id -> builder.claim(AccessTokenClaimNames.CLIENT_ID, id));
    return builder.build();
  }

  private KeyPairTools tools() {
    ECKey key = keys.current();
    KeyPairTools cached = tools;
    if (cached != null && cached.kid().equals(key.getKeyID())) {
      return cached;
    }
    try {
      KeyPairTools fresh = new KeyPairTools(key.getKeyID(), new ECDSASigner(key));
      tools = fresh;
      return fresh;
    } catch (JOSEException e) {
      throw new IllegalStateException(
          "the current signing key cannot sign ES256: " + e.getMessage(), e);
    }
  }

  private static Instant seconds(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS);
  }
}
