package dev.openwif.bench.micro;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.openwif.testkit.TestKeys;
import dev.openwif.testkit.TokenBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Signs RS256 ID tokens shaped like a Compute Engine instance's Google ID token ({@code
 * format=full}): RSA-2048, header {@code alg, kid, typ}, the standard claims, {@code email}, {@code
 * azp} and the nested {@code google.compute_engine} object — about 1 KB, the size the verifier sees
 * in production. A counter in {@code instance_creation_timestamp} makes every token distinct.
 * Thread-safe.
 */
final class GoogleLikeIssuer {
  static final String ISSUER = "https://accounts.google.com";
  static final String SUBJECT = "112233445566778899000";
  static final String PROJECT_ID = "bench-project";

  private final RSAKey key = TestKeys.rsa("bench-google-key-1");
  private final String audience;
  private final AtomicLong serial = new AtomicLong();

  GoogleLikeIssuer(String audience) {
    this.audience = Objects.requireNonNull(audience, "audience");
  }

  /** The public JWK Set (what a provider with an uploaded JWKS holds). */
  String publicJwksJson() {
    return new JWKSet(key.toPublicJWK()).toString();
  }

  /** A token issued at {@code now} and valid for {@code lifetime}. */
  String token(Instant now, Duration lifetime) {
    Map<String, Object> computeEngine = new LinkedHashMap<>();
    computeEngine.put("instance_creation_timestamp", 1_700_000_000L + serial.incrementAndGet());
    computeEngine.put("instance_id", "4436758249127405618");
    computeEngine.put("instance_name", "bench-worker-1");
    computeEngine.put("project_id", PROJECT_ID);
    computeEngine.put("project_number", 123456789012L);
    computeEngine.put("zone", "us-central1-a");
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("aud", audience);
    claims.put("azp", SUBJECT);
    claims.put("email", "bench-worker@" + PROJECT_ID + ".iam.gserviceaccount.com");
    claims.put("email_verified", true);
    claims.put("exp", now.plus(lifetime).getEpochSecond());
    claims.put("google", Map.of("compute_engine", computeEngine));
    claims.put("iat", now.getEpochSecond());
    claims.put("iss", ISSUER);
    claims.put("sub", SUBJECT);
    return TokenBuilder.signedBy(key).claims(claims).build();
  }
}
