package dev.openwif.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Signs compact JWS objects (RFC 7515 §7.1) with one ES256 key: the protected header is encoded
 * once, and initialised {@link Signature} objects are pooled and reused (a {@code sign()} call
 * returns one to its initialised state, JCA), so minting costs one ECDSA signature plus the
 * payload's encoding, not a key conversion, a provider lookup and a {@code SecureRandom} per token.
 * The signature comes straight in the JWS form, R || S of 32 bytes each (RFC 7518 §3.4), from the
 * JCA algorithm {@code SHA256withECDSAinP1363Format}, which the JDK's and the native provider both
 * have.
 *
 * <p>The pool holds at most as many signatures as ever signed at once. Thread-safe.
 */
final class Es256CompactSigner {
  private static final String JCA_ALGORITHM = "SHA256withECDSAinP1363Format";
  private static final int ES256_SIGNATURE_BYTES = 64;
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final String kid;
  private final byte[] encodedHeaderAndDot;
  private final PrivateKey privateKey;
  private final SecureRandom random = new SecureRandom();
  private final ConcurrentLinkedQueue<Signature> idle = new ConcurrentLinkedQueue<>();

  /**
   * @throws IllegalStateException when the key cannot sign ES256 (not a P-256 private key)
   */
  Es256CompactSigner(ECKey key, String typ) {
    Objects.requireNonNull(key, "key");
    this.kid = Objects.requireNonNull(key.getKeyID(), "the signing key has no kid");
    if (!key.isPrivate()) {
      throw new IllegalStateException("the signing key " + kid + " has no EC private key");
    }
    try {
      this.privateKey = key.toECPrivateKey();
    } catch (JOSEException e) {
      throw new IllegalStateException(
          "the signing key has no EC private key: " + e.getMessage(), e);
    }
    if (!Curve.P_256.equals(key.getCurve())) {
      throw new IllegalStateException("the signing key is not on P-256: " + key.getCurve());
    }
    String header =
        "{\"alg\":\"ES256\",\"kid\":"
            + ClaimsJson.quoted(kid)
            + ",\"typ\":"
            + ClaimsJson.quoted(typ)
            + "}";
    this.encodedHeaderAndDot =
        (BASE64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + ".")
            .getBytes(StandardCharsets.US_ASCII);
    idle.add(newSignature()); // fails here, at key load, rather than on the first exchange
  }

  String kid() {
    return kid;
  }

  /** The compact serialisation {@code header.payload.signature} of {@code payloadJson}. */
  String sign(byte[] payloadJson) {
    byte[] payload = BASE64URL.encode(payloadJson);
    byte[] signingInput = new byte[encodedHeaderAndDot.length + payload.length];
    System.arraycopy(encodedHeaderAndDot, 0, signingInput, 0, encodedHeaderAndDot.length);
    System.arraycopy(payload, 0, signingInput, encodedHeaderAndDot.length, payload.length);
    Signature signature = borrow();
    byte[] rs;
    try {
      signature.update(signingInput);
      rs = signature.sign();
    } catch (GeneralSecurityException e) {
      // a Signature that failed may be in any state: it is not returned to the pool
      throw new IllegalStateException("ES256 signing failed: " + e.getMessage(), e);
    }
    idle.offer(signature);
    if (rs.length != ES256_SIGNATURE_BYTES) {
      throw new IllegalStateException("ES256 signature of " + rs.length + " bytes, not 64");
    }
    byte[] encodedSignature = BASE64URL.encode(rs);
    byte[] compact = new byte[signingInput.length + 1 + encodedSignature.length];
    System.arraycopy(signingInput, 0, compact, 0, signingInput.length);
    compact[signingInput.length] = '.';
    System.arraycopy(
        encodedSignature, 0, compact, signingInput.length + 1, encodedSignature.length);
    return new String(compact, StandardCharsets.US_ASCII);
  }

  private Signature borrow() {
    Signature pooled = idle.poll();
    return pooled != null ? pooled : newSignature();
  }

  private Signature newSignature() {
    try {
      Signature signature = Signature.getInstance(JCA_ALGORITHM);
      signature.initSign(privateKey, random);
      return signature;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "the signing key cannot sign ES256 (" + JCA_ALGORITHM + "): " + e.getMessage(), e);
    }
  }
}
