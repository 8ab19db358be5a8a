package dev.openwif.oidc;

/**
 * The checks {@link SubjectTokenVerifier#verify} makes, in the order it makes them; the first that
 * fails ends the verification. {@link VerificationTrace} reports each one passed, so a caller that
 * explains a refusal knows that the check after the last one passed is the one that failed.
 */
public enum VerificationStep {
  /** Compact JWS of three strict base64url segments, header and payload JSON objects, size cap. */
  STRUCTURE,
  /** {@code alg} on the allow-list, {@code kid} present, no {@code crit} or key-bearing member. */
  HEADER,
  /** The issuer publishes a key with this {@code kid}, its type and {@code use} fit the alg. */
  KEY,
  /** The signature verifies with that key. */
  SIGNATURE,
  /** {@code iss} equals the provider's issuer byte for byte. */
  ISSUER,
  /** {@code aud} (string or array) contains the provider's audience. */
  AUDIENCE,
  /** Registered claims ({@code sub}, {@code email}, {@code email_verified}...) have their type. */
  CLAIM_TYPES,
  /** {@code exp}, {@code iat}, {@code nbf} with the leeway, and the lifetime cap. */
  TIMES
}
