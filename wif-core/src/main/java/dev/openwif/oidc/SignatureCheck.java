package dev.openwif.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.openwif.audit.ReasonCode;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks that a JWK may verify {@code alg} (RFC 8725 §3.1: the key, not the header, decides) and
 * then verifies the signature: RSA and ECDSA through Nimbus, Ed25519 through the JDK provider
 * (Nimbus's own Ed25519 verifier needs Tink, which core does not ship).
 *
 * <p>ECDSA: the JDK (since the CVE-2022-21449 fix) refuses r or s equal to 0 or not below n, and
 * Nimbus refuses a signature that is not exactly 2 x the curve size; both are asserted by tests.
 * Thread-safe.
 */
final class SignatureCheck {
  private static final byte[] ED25519_X509_PREFIX =
      HexFormat.of().parseHex("302a300506032b6570032100");
  private static final int MIN_RSA_BITS = 2048;
  private static final int MAX_REMEMBERED_KEYS = 1024;

  /**
   * Verifiers by JWK (JWK equality is its parameters), so a key's public-key conversion runs once,
   * not per token. Nimbus's RSA and ECDSA verifiers are stateless after construction and
   * thread-safe.
   */
  private static final Map<JWK, JWSVerifier> VERIFIERS = new ConcurrentHashMap<>();

  private static final Map<RSAKey, Integer> RSA_BITS = new ConcurrentHashMap<>();

  private SignatureCheck() {}

  static void keyFitsAlg(JWK key, String alg, String kid) {
    if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
      throw reject(
          ReasonCode.KEY_USE_NOT_SIG,
          "key " + kid + " has use \"" + key.getKeyUse().identifier() + "\", not \"sig\"");
    }
    if (key.getAlgorithm() != null && !key.getAlgorithm().getName().equals(alg)) {
      throw reject(
          ReasonCode.KEY_ALG_MISMATCH,
          "key "
              + kid
              + " is bound to alg "
              + key.getAlgorithm().getName()
              + ", the token says "
              + alg);
    }
    boolean fits =
        switch (alg) {
          case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512" ->
              key instanceof RSAKey rsa && rsaBits(rsa) >= MIN_RSA_BITS;
          case "ES256" -> key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve());
          case "ES384" -> key instanceof ECKey ec && Curve.P_384.equals(ec.getCurve());
          case "EdDSA" -> key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve());
          default -> false;
        };
    if (!fits) {
      throw reject(
          ReasonCode.KEY_ALG_MISMATCH,
          "key " + kid + " (" + describe(key) + ") cannot verify alg " + alg);
    }
  }

  static void verify(JWK key, String alg, byte[] signingInput, byte[] signature, String kid) {
    boolean valid;
    try {
      valid =
          alg.equals("EdDSA")
              ? verifyEd25519((OctetKeyPair) key, signingInput, signature)
              : nimbusVerifier(key)
                  .verify(
                      new JWSHeader(JWSAlgorithm.parse(alg)),
                      signingInput,
                      Base64URL.encode(signature));
    } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
      // Malformed signatures (wrong length, out-of-range ECDSA values) surface as exceptions: all
      // invalid.
      valid = false;
    }
    if (!valid) {
      throw reject(
          ReasonCode.SIGNATURE_INVALID,
          "the " + alg + " signature does not verify with key " + kid);
    }
  }

  /** The modulus size, remembered per key: Nimbus decodes the modulus on every {@code size()}. */
  private static int rsaBits(RSAKey rsa) {
    return remembered(RSA_BITS, rsa, RSAKey::size);
  }

  private static JWSVerifier nimbusVerifier(JWK key) throws JOSEException {
    return remembered(
        VERIFIERS,
        key,
        k ->
            k instanceof RSAKey rsa
                ? new RSASSAVerifier(rsa.toRSAPublicKey())
                : new ECDSAVerifier(((ECKey) k).toECPublicKey()));
  }

  /** What is derived from a key once and remembered. */
  @FunctionalInterface
  private interface Derivation<K, V, E extends Exception> {
    V of(K key) throws E;
  }

  /**
   * {@code cache}'s value for {@code key}, derived and remembered on first use. Keys rotate rarely:
   * a full cache means very many issuers, and it starts afresh.
   */
  private static <K, V, E extends Exception> V remembered(
      Map<K, V> cache, K key, Derivation<K, V, E> derive) throws E {
    V cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    V fresh = derive.of(key);
    if (cache.size() >= MAX_REMEMBERED_KEYS) {
      cache.clear();
    }
    cache.put(key, fresh);
    return fresh;
  }

  private static boolean verifyEd25519(OctetKeyPair key, byte[] signingInput, byte[] signature)
      throws GeneralSecurityException {
    byte[] x = key.getDecodedX();
    if (x.length != 32 || signature.length != 64) {
      return false;
    }
    byte[] encoded = new byte[ED25519_X509_PREFIX.length + 32];
    System.arraycopy(ED25519_X509_PREFIX, 0, encoded, 0, ED25519_X509_PREFIX.length);
    System.arraycopy(x, 0, encoded, ED25519_X509_PREFIX.length, 32);
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(
        KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded)));
    verifier.update(signingInput);
    return verifier.verify(signature);
  }

  private static String describe(JWK key) {
    if (key instanceof RSAKey rsa) {
      return "RSA " + rsa.size() + " bits";
    }
    if (key instanceof ECKey ec) {
      return "EC " + ec.getCurve();
    }
    if (key instanceof OctetKeyPair okp) {
      return "OKP " + okp.getCurve();
    }
    return String.valueOf(key.getKeyType());
  }

  private static TokenRejectedException reject(ReasonCode reason, String detail) {
    return new TokenRejectedException(reason, detail);
  }
}
