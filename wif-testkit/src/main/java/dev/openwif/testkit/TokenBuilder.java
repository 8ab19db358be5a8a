package dev.openwif.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Crafts compact JWS tokens, well-formed or hostile: any header member (including a lying {@code
 * alg} or {@code kid}), raw header/payload JSON text (e.g. duplicate member names), signing with
 * another key or algorithm, an HMAC secret, or a raw signature segment. Not thread-safe: one
 * builder per token.
 *
 * <p>By default the header is {@code {"alg": <the key's natural alg>, "kid": <the key's kid>,
 * "typ": "JWT"}} and the payload holds exactly the claims given (nothing is added).
 */
public final class TokenBuilder {
  private static final byte[] ED25519_PKCS8_PREFIX =
      HexFormat.of().parseHex("302e020100300506032b657004220420");

  private final Map<String, Object> header = new LinkedHashMap<>();
  private final Map<String, Object> claims = new LinkedHashMap<>();
  private JWK signingKey;
  private Optional<String> signingAlg = Optional.empty();
  private Optional<byte[]> hmacSecret = Optional.empty();
  private Optional<String> rawHeader = Optional.empty();
  private Optional<String> rawPayload = Optional.empty();
  private Optional<String> rawSignature = Optional.empty();

  /** A builder that signs with {@code key} (a private JWK) and names it in the header. */
  public static TokenBuilder signedBy(JWK key) {
    return new TokenBuilder(key);
  }

  TokenBuilder(JWK key) {
    this.signingKey = Objects.requireNonNull(key, "key");
    header.put("alg", naturalAlg(key));
    if (key.getKeyID() != null) {
      header.put("kid", key.getKeyID());
    }
    header.put("typ", "JWT");
  }

  /** Sets (or overrides) a header member; any JSON value, including null. */
  public TokenBuilder header(String name, Object value) {
    header.put(name, value);
    return this;
  }

  public TokenBuilder withoutHeader(String name) {
    header.remove(name);
    return this;
  }

  /**
   * Sets the header's {@code alg}; the signature is made with this alg too unless {@link
   * #signingAlg} says otherwise.
   */
  public TokenBuilder alg(String alg) {
    return header("alg", alg);
  }

  public TokenBuilder kid(String kid) {
    return header("kid", kid);
  }

  public TokenBuilder claim(String name, Object value) {
    claims.put(name, value);
    return this;
  }

  public TokenBuilder claims(Map<String, ?> values) {
    claims.putAll(values);
    return this;
  }

  public TokenBuilder withoutClaim(String name) {
    claims.remove(name);
    return this;
  }

  /** Signs with another private key; the header (kid included) is left as it is. */
  public TokenBuilder signWith(JWK key) {
    this.signingKey = Objects.requireNonNull(key, "key");
    return this;
  }

  /**
   * Signs with this algorithm whatever the header claims (e.g. header says RS256, signature is
   * PS256).
   */
  public TokenBuilder signingAlg(String alg) {
    this.signingAlg = Optional.of(alg);
    return this;
  }

  /**
   * Signs with HMAC using this secret (for HS256/384/512 confusion attacks, e.g. the RSA public key
   * bytes).
   */
  public TokenBuilder hmacSecret(byte[] secret) {
    this.hmacSecret = Optional.of(secret.clone());
    return this;
  }

  /**
   * Uses this exact text as the header JSON (then base64url-encoded); header members set above are
   * ignored.
   */
  public TokenBuilder rawHeaderJson(String json) {
    this.rawHeader = Optional.of(json);
    return this;
  }

  /**
   * Uses this exact text as the payload JSON (then base64url-encoded); claims set above are
   * ignored.
   */
  public TokenBuilder rawPayloadJson(String json) {
    this.rawPayload = Optional.of(json);
    return this;
  }

  /** Uses this exact text as the third segment instead of computing a signature. */
  public TokenBuilder rawSignature(String segment) {
    this.rawSignature = Optional.of(segment);
    return this;
  }

  /** The compact serialization {@code header.payload.signature}. */
  public String build() {
    String signingInput = encodedHeader() + "." + encodedPayload();
    return signingInput + "." + rawSignature.orElseGet(() -> sign(signingInput));
  }

  /** {@code header.payload.} with an empty signature segment (for {@code alg: none} attacks). */
  public String unsigned() {
    return encodedHeader() + "." + encodedPayload() + ".";
  }

  /** The base64url header segment. */
  public String encodedHeader() {
    return b64(rawHeader.orElseGet(() -> JSONObjectUtils.toJSONString(header)));
  }

  /** The base64url payload segment. */
  public String encodedPayload() {
    return b64(rawPayload.orElseGet(() -> JSONObjectUtils.toJSONString(claims)));
  }

  private String sign(String signingInput) {
    String alg = signingAlg.orElseGet(() -> String.valueOf(header.get("alg")));
    byte[] input = signingInput.getBytes(StandardCharsets.US_ASCII);
    try {
      if (alg.equals("none")) {
        return "";
      }
      if (alg.equals("EdDSA") || alg.equals("Ed25519")) {
        return signEd25519((OctetKeyPair) signingKey, input);
      }
      JWSAlgorithm jwsAlg = JWSAlgorithm.parse(alg);
      JWSSigner signer = signerFor(jwsAlg);
      return signer.sign(new JWSHeader(jwsAlg), input).toString();
    } catch (JOSEException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with alg " + alg + ": " + e.getMessage(), e);
    }
  }

  private JWSSigner signerFor(JWSAlgorithm alg) throws JOSEException {
    if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
      return new MACSigner(
          hmacSecret.orElseThrow(
              () -> new IllegalStateException("HMAC alg needs hmacSecret(...)")));
    }
    if (signingKey instanceof RSAKey rsa) {
      return new RSASSASigner(rsa);
    }
    if (signingKey instanceof ECKey ec) {
      return new ECDSASigner(ec);
    }
    throw new IllegalStateException(
        "no signer for " + alg + " with key type " + signingKey.getKeyType());
  }

  private static String signEd25519(OctetKeyPair key, byte[] input)
      throws GeneralSecurityException {
    byte[] d = key.getDecodedD();
    byte[] pkcs8 = new byte[ED25519_PKCS8_PREFIX.length + d.length];
    System.arraycopy(ED25519_PKCS8_PREFIX, 0, pkcs8, 0, ED25519_PKCS8_PREFIX.length);
    System.arraycopy(d, 0, pkcs8, ED25519_PKCS8_PREFIX.length, d.length);
    Signature signature = Signature.getInstance("Ed25519");
    signature.initSign(
        KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
    signature.update(input);
    return Base64URL.encode(signature.sign()).toString();
  }

  static String naturalAlg(JWK key) {
    if (key instanceof RSAKey) {
      return "RS256";
    }
    if (key instanceof ECKey ec) {
      return Curve.P_384.equals(ec.getCurve()) ? "ES384" : "ES256";
    }
    if (key instanceof OctetKeyPair) {
      return "EdDSA";
    }
    throw new IllegalArgumentException("unsupported key type " + key.getKeyType());
  }

  private static String b64(String text) {
    return Base64URL.encode(text.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
