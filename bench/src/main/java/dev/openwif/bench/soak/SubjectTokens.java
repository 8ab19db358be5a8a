package dev.openwif.bench.soak;

import com.nimbusds.jose.jwk.RSAKey;
import dev.openwif.testkit.TestIssuer;
import dev.openwif.testkit.TestKeys;
import dev.openwif.testkit.TokenBuilder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Subject tokens for the soak: good ones signed by the real issuer's current key (every one with
 * its own {@code jti}), and one hostile token per {@link #HOSTILE_KINDS} kind, each of which the
 * exchange must refuse. Thread-safe.
 */
final class SubjectTokens {
  static final String AUDIENCE = "https://api.openai.com/v1";
  static final String GOOD_SUBJECT = "soak-good";
  static final String SHORT_SUBJECT = "soak-short";

  /**
   * The hostile kinds {@link #hostile} makes. {@code replayed}, {@code wrong_service_account} and
   * {@code malformed_request} are made by the driver (they need an accepted token or a broken
   * request body).
   */
  static final List<String> HOSTILE_KINDS =
      List.of(
          "forged_signature",
          "unknown_kid",
          "wrong_audience",
          "expired",
          "not_yet_valid",
          "wrong_issuer",
          "alg_none",
          "hs256_with_public_key",
          "sub_array",
          "unmatched_subject",
          "garbage");

  private final TestIssuer issuer;
  private final RSAKey stranger = TestKeys.rsa();
  private final RSAKey strangerWithIssuerKid;
  private final SecureRandom random = new SecureRandom();

  SubjectTokens(TestIssuer issuer) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.strangerWithIssuerKid = TestKeys.rsa(issuer.currentKey().getKeyID());
  }

  /** A good token for {@code subject}, valid from now for {@code lifetimeSeconds}. */
  String good(String subject, long lifetimeSeconds) {
    return issuer.tokenBuilder().claims(claims(subject, lifetimeSeconds)).build();
  }

  /** A hostile token of this kind (one of {@link #HOSTILE_KINDS}). */
  String hostile(String kind) {
    Map<String, Object> claims = claims(GOOD_SUBJECT, 300);
    long now = Instant.now().getEpochSecond();
    return switch (kind) {
      case "forged_signature" ->
          // the issuer's kid in the header, signed by another key
          TokenBuilder.signedBy(strangerWithIssuerKid).claims(claims).build();
      case "unknown_kid" -> TokenBuilder.signedBy(stranger).claims(claims).build();
      case "wrong_audience" -> signed(claims, "aud", "https://example.com/not-openai");
      case "expired" -> {
        claims.put("iat", now - 7200);
        yield signed(claims, "exp", now - 3600);
      }
      case "not_yet_valid" -> {
        claims.put("nbf", now + 3600);
        claims.put("iat", now + 3600);
        yield signed(claims, "exp", now + 7200);
      }
      case "wrong_issuer" -> signed(claims, "iss", "https://issuer.invalid");
      case "alg_none" -> issuer.tokenBuilder().alg("none").claims(claims).unsigned();
      case "hs256_with_public_key" ->
          issuer
              .tokenBuilder()
              .alg("HS256")
              .hmacSecret(
                  issuer.currentKey().toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8))
              .claims(claims)
              .build();
      case "sub_array" -> signed(claims, "sub", List.of(GOOD_SUBJECT));
      case "unmatched_subject" -> signed(claims, "sub", "soak-nobody");
      case "garbage" -> garbage();
      default -> throw new IllegalArgumentException("unknown hostile kind " + kind);
    };
  }

  private String signed(Map<String, Object> claims, String name, Object value) {
    claims.put(name, value);
    return issuer.tokenBuilder().claims(claims).build();
  }

  private String garbage() {
    byte[] bytes = new byte[48];
    random.nextBytes(bytes);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return switch (random.nextInt(3)) {
      case 0 -> b64.encodeToString(bytes);
      case 1 ->
          b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
              + "."
              + b64.encodeToString(bytes)
              + "."
              + b64.encodeToString(bytes);
      default -> "not a token at all " + UUID.randomUUID();
    };
  }

  private Map<String, Object> claims(String subject, long lifetimeSeconds) {
    long now = Instant.now().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", issuer.issuer());
    claims.put("aud", AUDIENCE);
    claims.put("sub", subject);
    claims.put("iat", now);
    claims.put("exp", now + lifetimeSeconds);
    claims.put("jti", UUID.randomUUID().toString());
    return claims;
  }
}
