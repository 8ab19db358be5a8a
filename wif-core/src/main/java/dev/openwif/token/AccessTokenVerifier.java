package dev.openwif.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies the server's own access tokens for the {@code /v1} gateway and for introspection (RFC
 * 9068 §4): ES256 only, {@code typ: at+jwt}, a {@code kid} that is one of ours, no {@code crit},
 * exact {@code iss}, {@code aud} containing the expected audience, {@code iat} present, {@code exp}
 * required and enforced (no leeway: one clock family).
 *
 * <p>An ES256 check costs ~419 µs on the JDK provider (bench/README.md), so each verified token is
 * cached under the SHA-256 of its text until its {@code exp}; a repeated request costs a hash and a
 * lookup, and {@code exp} is enforced on every lookup, as is the key: a hit whose signing key was
 * retired since (or is past its verify-until time) is dropped and the token verified again, which
 * refuses it. {@link #invalidateAll()} and {@link #invalidateJti(String)} drop entries (revocation,
 * key removal). Thread-safe.
 */
public final class AccessTokenVerifier {
  private static final int MAX_TOKEN_CHARS = 8 * 1024;

  private final SigningKeys keys;
  private final Clock clock;
  private final String issuer;
  private final String audience;
  private final VerifiedTokenCache cache;

  public AccessTokenVerifier(
      SigningKeys keys, Clock clock, String issuer, String audience, int cacheSize) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.audience = Objects.requireNonNull(audience, "audience");
    this.cache = new VerifiedTokenCache(cacheSize);
  }

  /**
   * Verifies a bearer access token issued by this server.
   *
   * @throws AccessTokenRejectedException with the reason when the bearer token is not valid now
   */
  public VerifiedAccessToken verify(String bearer) {
    Objects.requireNonNull(bearer, "bearer");
    if (bearer.isEmpty() || bearer.length() > MAX_TOKEN_CHARS) {
      throw new AccessTokenRejectedException(
          "the token is empty or longer than " + MAX_TOKEN_CHARS + " characters");
    }
    Instant now = clock.instant();
    String hash = sha256(bearer);
    Optional<VerifiedAccessToken> cached = fromCache(hash, now);
    if (cached.isPresent()) {
      return cached.get();
    }
    Verified verified = verifyUncached(bearer, now);
    cache.put(hash, verified.token(), verified.kid(), now);
    return verified.token();
  }

  /**
   * The verification of {@code bearer} remembered from an earlier {@link #verify}, found without
   * any signature check (a hash and a lookup); empty when there is none or it has expired.
   */
  public Optional<VerifiedAccessToken> cached(String bearer) {
    Objects.requireNonNull(bearer, "bearer");
    if (bearer.isEmpty() || bearer.length() > MAX_TOKEN_CHARS) {
      return Optional.empty();
    }
    return fromCache(sha256(bearer), clock.instant());
  }

  /**
   * The cached verification under {@code hash}, while its signing key still verifies; one whose key
   * was retired since is forgotten (verifying the token again refuses it).
   */
  private Optional<VerifiedAccessToken> fromCache(String hash, Instant now) {
    Optional<VerifiedTokenCache.Entry> cached = cache.get(hash, now);
    if (cached.isEmpty()) {
      return Optional.empty();
    }
    if (keys.publicKey(cached.get().kid()).isPresent()) {
      return Optional.of(cached.get().token());
    }
    cache.remove(hash);
    return Optional.empty();
  }

  /** Forgets every cached verification (e.g. after a signing key was removed). */
  public void invalidateAll() {
    cache.clear();
  }

  /** Forgets the cached verification of the token with this {@code jti} (revocation). */
  public void invalidateJti(String jti) {
    cache.removeJti(jti);
  }

  /** The issuer every accepted token carries ({@code iss}). */
  public String issuer() {
    return issuer;
  }

  /** The audience every accepted token contains ({@code aud}). */
  public String audience() {
    return audience;
  }

  int cachedCount() {
    return cache.size();
  }

  private record Verified(VerifiedAccessToken token, String kid) {}

  private Verified verifyUncached(String bearer, Instant now) {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(bearer);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new AccessTokenRejectedException("the token is not a signed JWT");
    }
    ECKey key = checkHeader(jwt.getHeader());
    // the cheap checks (header, issuer, audience, times, claim shapes) come before the signature,
    // so an expired, foreign or malformed token never costs an ECDSA verification (~50-400 µs)
    VerifiedAccessToken checked = checkClaims(claims, now);
    try {
      if (!jwt.verify(new ECDSAVerifier(key))) {
        throw new AccessTokenRejectedException(
            "the signature does not verify with key " + key.getKeyID());
      }
    } catch (JOSEException e) {
      throw new AccessTokenRejectedException("the signature cannot be checked: " + e.getMessage());
    }
    return new Verified(checked, key.getKeyID());
  }

  private ECKey checkHeader(JWSHeader header) {
    if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
      throw new AccessTokenRejectedException("alg " + header.getAlgorithm() + " is not ES256");
    }
    if (header.getType() == null || !AccessTokenClaimNames.TYP.equals(header.getType().getType())) {
      throw new AccessTokenRejectedException("typ is not " + AccessTokenClaimNames.TYP);
    }
    if (header.getCriticalParams() != null
        || header.getJWKURL() != null
        || header.getJWK() != null
        || header.getX509CertURL() != null
        || header.getX509CertChain() != null) {
      throw new AccessTokenRejectedException("the header carries crit or key references");
    }
    String kid = header.getKeyID();
    if (kid == null) {
      throw new AccessTokenRejectedException("kid is missing");
    }
    return keys.publicKey(kid)
        .orElseThrow(
            () ->
                new AccessTokenRejectedException(
                    "kid " + kid + " is not one of ours (unknown, or retired)"));
  }

  private VerifiedAccessToken checkClaims(JWTClaimsSet claims, Instant now) {
    if (!issuer.equals(claims.getIssuer())) {
      throw new AccessTokenRejectedException("iss is not " + issuer);
    }
    if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
      throw new AccessTokenRejectedException("aud does not contain " + audience);
    }
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw new AccessTokenRejectedException("exp is missing");
    }
    if (!now.isBefore(exp.toInstant())) {
      throw new AccessTokenRejectedException("the token expired at " + exp.toInstant());
    }
    Date iat = claims.getIssueTime();
    if (iat == null) {
      throw new AccessTokenRejectedException("iat is missing");
    }
    try {
      String subject = required(claims.getSubject(), "sub");
      String jti = required(claims.getJWTID(), "jti");
      String scope =
          required(claims.getStringClaim(AccessTokenClaimNames.SCOPE), AccessTokenClaimNames.SCOPE);
      Set<String> scopes = new LinkedHashSet<>(Arrays.asList(scope.split(" ")));
      scopes.remove("");
      return new VerifiedAccessToken(
          subject,
          scopes,
          required(
              claims.getStringClaim(AccessTokenClaimNames.PROVIDER),
              AccessTokenClaimNames.PROVIDER),
          required(claims.getStringClaim(AccessTokenClaimNames.RULE), AccessTokenClaimNames.RULE),
          required(
              claims.getStringClaim(AccessTokenClaimNames.PROJECT), AccessTokenClaimNames.PROJECT),
          jti,
          exp.toInstant(),
          iat.toInstant(),
          optional(claims.getStringClaim(AccessTokenClaimNames.EXTERNAL_SUBJECT)),
          optional(claims.getStringClaim(AccessTokenClaimNames.CLIENT_ID)));
    } catch (ParseException e) {
      throw new AccessTokenRejectedException("a claim has the wrong type: " + e.getMessage());
    }
  }

  private static String required(String value, String name) {
    if (value == null || value.isEmpty()) {
      throw new AccessTokenRejectedException(name + " is missing");
    }
    return value;
  }

  private static Optional<String> optional(String value) {
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
